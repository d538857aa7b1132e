package dev.cutover.worker.bench;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** The bare loop: one activity after another, no status, no headers, no markers. */
public class BenchNoopWorkflowImpl implements BenchNoopWorkflow {
  /** A no-op never comes near it; it only has to be set. */
  static final Duration START_TO_CLOSE = Duration.ofMinutes(1);

  private final BenchNoopActivity activity =
      Workflow.newActivityStub(
          BenchNoopActivity.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(START_TO_CLOSE).build());

  @Override
  public int run(int count) {
    int done = 0;
    for (int i = 0; i < count; i++) {
      done += activity.noop();
    }
    return done;
  }
}
