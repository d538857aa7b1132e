package dev.cutover.plan;

import java.time.Duration;
import java.util.List;

@Doc("Rounds of pre-synchronisation, repeated until the window opens.")
public record PresyncPhase(
    @Doc("Free text shown in preview and status.") String description,
    @Doc("Time between the starts of two rounds; required with window.notBefore.") Duration every,
    @Doc("Number of rounds when there is no window (default 1); with a window, at most this many.")
        Integer rounds,
    @Required @Doc("The steps of one round, in order.") List<Step> steps) {

  public PresyncPhase {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }
}
