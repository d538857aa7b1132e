package dev.cutover.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PauseTest {
  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void aWorkerThatStopsEndsTheWaitWithARetryableFailure() {
    // given a thread the worker has interrupted (it is shutting down)
    Thread.currentThread().interrupt();

    // when an activity waits on it
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> Pause.sleep(Duration.ofMinutes(10), "step settle on host old"));

    // then the wait ends at once with a failure another worker retries, naming what waited,
    // and the thread is still marked interrupted for whoever stops it
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INTERRUPTED);
    assertThat(failure.getOriginalMessage())
        .isEqualTo("step settle on host old: worker interrupted");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void anUninterruptedWaitReturns() {
    // given a thread nobody interrupts, when it pauses briefly, then it returns and stays
    // uninterrupted
    Pause.sleep(Duration.ofMillis(5), "step settle on host old");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }
}
