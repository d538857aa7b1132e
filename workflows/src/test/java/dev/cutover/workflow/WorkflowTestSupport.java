package dev.cutover.workflow;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A time-skipping Temporal with the migration workflow and a scripted run activity. */
abstract class WorkflowTestSupport {
  static final String ID = "cutover-test";

  TestWorkflowEnvironment env;
  WorkflowClient client;
  ScriptedRunActivities run;

  @BeforeEach
  void startEnvironment() {
    env = TestWorkflowEnvironment.newInstance();
    CutoverSearchAttributes.ALL.forEach(
        k -> env.registerSearchAttribute(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker worker = env.newWorker(CutoverNames.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(MigrationWorkflowImpl.class);
    run = new ScriptedRunActivities();
    worker.registerActivitiesImplementations(run);
    for (Object more : moreActivities()) {
      worker.registerActivitiesImplementations(more);
    }
    env.start();
    client = env.getWorkflowClient();
  }

  /** Fakes of further step kinds a test class registers beside the scripted run activity. */
  Object[] moreActivities() {
    return new Object[0];
  }

  @AfterEach
  void stopEnvironment() {
    env.close();
  }

  MigrationWorkflow start(dev.cutover.plan.Plan plan) {
    return start(new MigrationInput(plan, null, null));
  }

  MigrationWorkflow start(MigrationInput input) {
    MigrationWorkflow workflow =
        client.newWorkflowStub(
            MigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(ID)
                .setTaskQueue(CutoverNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(workflow::run, input);
    return client.newWorkflowStub(MigrationWorkflow.class, ID);
  }

  WorkflowStub untyped() {
    return client.newUntypedWorkflowStub(ID);
  }

  /**
   * Lets virtual time pass in growing steps (100 ms up to an hour) until the status matches, so a
   * gate after days of timers is reached quickly. Use it for states that hold until someone acts.
   */
  MigrationStatus awaitStatus(MigrationWorkflow workflow, Predicate<MigrationStatus> condition) {
    Duration step = Duration.ofMillis(100);
    for (int i = 0; i < 500; i++) {
      MigrationStatus status = workflow.status();
      if (condition.test(status)) {
        return status;
      }
      env.sleep(step);
      step =
          step.multipliedBy(2).compareTo(Duration.ofHours(1)) > 0
              ? Duration.ofHours(1)
              : step.multipliedBy(2);
    }
    throw new AssertionError("status never matched; last: " + workflow.status());
  }

  MigrationResult result() {
    return MigrationResults.await(untyped());
  }

  static StepStatus step(MigrationStatus status, String name) {
    return status.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  static StepStatus step(MigrationResult result, String name) {
    return result.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
