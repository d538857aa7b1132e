package dev.cutover.plan.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * validate compares a step's retry intervals with the workflow's defaults: if the two drifted
 * apart, a plan could validate with a policy Temporal refuses (maxInterval under initialInterval).
 */
class RetryDefaultsTest {
  @Test
  void theValidatorUsesTheWorkflowsRetryDefaults() throws Exception {
    assertThat(PlanValidator.RETRY_INITIAL_INTERVAL)
        .isEqualTo(workflowDefault("DEFAULT_INITIAL_INTERVAL"));
    assertThat(PlanValidator.RETRY_MAX_INTERVAL).isEqualTo(workflowDefault("DEFAULT_MAX_INTERVAL"));
  }

  private static Duration workflowDefault(String name) throws ReflectiveOperationException {
    Field field = Class.forName("dev.cutover.workflow.StepExecutor").getDeclaredField(name);
    field.setAccessible(true);
    return (Duration) field.get(null);
  }
}
