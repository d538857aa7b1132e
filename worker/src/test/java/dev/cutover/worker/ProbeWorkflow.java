package dev.cutover.worker;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** A test workflow that asks the cutover task queue which activity types its worker has. */
@WorkflowInterface
public interface ProbeWorkflow {
  /**
   * Returns the worker's answer to an activity type it cannot have, which lists the types it has.
   */
  @WorkflowMethod
  String knownActivityTypes();
}
