package dev.cutover.workflow;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the database-step history {@link ReplayTest} replays (v3: pg-replicate across presync
 * rounds, its finish with reverse, teardown on abort). Separate from {@link RecordHistories}
 * because its fake answers preflight too: {@code ./mvnw -pl workflows test
 * -Dtest=RecordDatabaseHistories -Dcutover.recordHistories=src/test/resources/histories/v3}
 */
@EnabledIfSystemProperty(named = "cutover.recordHistories", matches = ".+")
class RecordDatabaseHistories extends WorkflowTestSupport {

  @Test
  void databaseStepsWithReplicationAndTeardownOnAbort() throws Exception {
    run.answer(
        r -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "app does not start", CutoverErrors.COMMAND_FAILED);
        });
    MigrationWorkflow workflow = start(PgStepsTest.PLAN);
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    workflow.approveGate(new ApproveRequest("go-downtime", null, null));
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);
    workflow.abortMigration(new AbortRequest("recorded abort", "tester"));
    result();
    Path dir = Path.of(System.getProperty("cutover.recordHistories"));
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("database-steps-abort.json"), client.fetchHistory(ID).toJson(true));
  }

  @Override
  Object[] moreActivities() {
    return new Object[] {new PgStepsFake()};
  }
}
