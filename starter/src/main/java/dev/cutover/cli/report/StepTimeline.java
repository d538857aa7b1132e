package dev.cutover.cli.report;

import java.util.ArrayList;
import java.util.List;

/** One step of the plan and every execution of it the history holds (tries, rounds, undos). */
final class StepTimeline {
  final PlanStep plan;
  final List<Execution> executions = new ArrayList<>();
  int lastRound = -1;
  int lastTry;

  /** Pre-facts histories: an accepted retry decision, so the next execution is the next try. */
  boolean retryDecided;

  boolean skipped;

  StepTimeline(PlanStep plan) {
    this.plan = plan;
  }
}
