package dev.cutover.worker;

import dev.cutover.workflow.CutoverNames;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.ActivityStub;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ProbeWorkflowImpl implements ProbeWorkflow {
  /**
   * A type no worker registers: the worker that polls it fails the task naming the types it knows.
   */
  static final String UNKNOWN_TYPE = "NoSuchActivityType";

  @Override
  public String knownActivityTypes() {
    ActivityStub stub =
        Workflow.newUntypedActivityStub(
            ActivityOptions.newBuilder()
                .setTaskQueue(CutoverNames.TASK_QUEUE)
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    try {
      stub.execute(UNKNOWN_TYPE, Void.class);
      return "";
    } catch (ActivityFailure e) {
      // getMessage() wraps the text with the failure's type; the original is the worker's own
      // words.
      return e.getCause() instanceof ApplicationFailure refusal
          ? refusal.getOriginalMessage()
          : String.valueOf(e.getCause());
    }
  }
}
