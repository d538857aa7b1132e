package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.temporal.failure.CanceledFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The switch's heartbeat goes on while the section's thread is busy, and a cancel reaches it. */
class HeartbeatPumpTest {
  @Test
  void beatsGoOnWhileTheSectionIsBusyWithItsLastProgress() throws Exception {
    // given a pump over a heartbeat that records what it is sent
    List<String> sent = new CopyOnWriteArrayList<>();
    try (HeartbeatPump<String> pump = new HeartbeatPump<>(sent::add, "prepare")) {
      // when the section reports once, then is busy (a long statement) for several pump periods
      pump.beat("catch-up");
      long until = System.nanoTime() + 5_000_000_000L;
      while (sent.stream().filter("catch-up"::equals).count() < 2 && System.nanoTime() < until) {
        Thread.sleep(50);
      }
    }

    // then the heartbeat was sent on its own, repeating the last progress
    assertThat(sent.get(0)).isEqualTo("prepare");
    assertThat(sent.stream().filter("catch-up"::equals).count()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aHeartbeatThatFailsFailsTheSectionsNextReport() throws Exception {
    // given a heartbeat that fails as Temporal's does once the activity is canceled
    List<String> sent = new CopyOnWriteArrayList<>();
    try (HeartbeatPump<String> pump =
        new HeartbeatPump<>(
            p -> {
              sent.add(p);
              if (sent.size() > 1) {
                throw new CanceledFailure("canceled");
              }
            },
            "prepare")) {
      long until = System.nanoTime() + 5_000_000_000L;
      while (sent.size() < 2 && System.nanoTime() < until) {
        Thread.sleep(50);
      }

      // when the section reports next, then it gets the failure
      assertThat(catchThrowableOfType(CanceledFailure.class, () -> pump.beat("freeze")))
          .hasMessageContaining("canceled");
    }
  }
}
