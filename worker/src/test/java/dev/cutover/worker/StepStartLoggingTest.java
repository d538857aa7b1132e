package dev.cutover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.run.RunRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StepStartLoggingTest {

  @Test
  void aStepRequestNamesItsStep() {
    // given the input of a run step
    RunRequest request =
        new RunRequest(
            "long-run", "local", null, "sleep 30", null, null, null, Duration.ofMinutes(1), false);

    // when the interceptor looks for the step, then it finds its name
    assertThat(StepStartLogging.stepName(new Object[] {request})).isEqualTo("long-run");
  }

  @Test
  void anInputWithoutAStepNamesNone() {
    assertThat(StepStartLogging.stepName(new Object[] {"not a record"})).isNull();
    assertThat(StepStartLogging.stepName(new Object[] {})).isNull();
    assertThat(StepStartLogging.stepName(null)).isNull();
  }
}
