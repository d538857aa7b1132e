package dev.cutover.worker.bench;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Bench profile only: calls a no-op activity {@code count} times in sequence, so
 * bench/step-overhead.sh can set what Temporal itself costs per activity beside what a cutover step
 * costs, on the same server in the same run.
 */
@WorkflowInterface
public interface BenchNoopWorkflow {
  /** The workflow type the bench starts with the temporal CLI. */
  String TYPE = "CutoverBenchNoop";

  @WorkflowMethod(name = TYPE)
  int run(int count);
}
