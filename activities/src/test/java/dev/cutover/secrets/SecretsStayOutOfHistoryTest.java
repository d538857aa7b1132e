package dev.cutover.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.load.PlanLoader;
import dev.cutover.steps.run.RunActivitiesImpl;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationResult;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.MigrationWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md: no secret value ever appears in workflow input, output, history or status. This runs
 * the real run activity with a command that prints and uses the secret, then scans everything
 * Temporal recorded.
 */
class SecretsStayOutOfHistoryTest {
  static final String SECRET = "s3cr3t-Value-7f9c2a";

  @Test
  void secretValueIsNeitherInHistoryNorInStatus(@TempDir Path dir) throws Exception {
    // given a plan whose step gets a secret by reference and echoes it, and writes it to a file
    Path written = dir.resolve("seen");
    var plan =
        PlanLoader.parse(
            "secret-plan.yaml",
            """
        migration: secret-check
        hosts: {old: {transport: local}}
        secrets: {db_password: env:CUTOVER_TEST_DB_PASSWORD}
        phases:
          prepare:
            steps:
              - name: use-secret
                kind: run
                host: old
                command: echo "password is $PGPASSWORD"; printf %%s "$PGPASSWORD" > '%s'
                secretEnv: {PGPASSWORD: db_password}
        """
                .formatted(written));
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      CutoverSearchAttributes.ALL.forEach(
          k ->
              env.registerSearchAttribute(
                  k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      Worker worker = env.newWorker(CutoverNames.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(MigrationWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          new RunActivitiesImpl(new SecretResolver(Map.of("CUTOVER_TEST_DB_PASSWORD", SECRET))));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      MigrationWorkflow workflow =
          client.newWorkflowStub(
              MigrationWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId("secret-check")
                  .setTaskQueue(CutoverNames.TASK_QUEUE)
                  .build());

      // when the migration runs
      MigrationResult result = workflow.run(MigrationInput.of(plan));
      MigrationStatus status =
          client.newWorkflowStub(MigrationWorkflow.class, "secret-check").status();

      // then the command really had the value
      assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
      assertThat(Files.readString(written)).isEqualTo(SECRET);
      // and its output was masked, while the history holds only the reference
      assertThat(result.steps().get(0).outputTail()).isEqualTo("password is ***");
      var history = client.fetchHistory("secret-check");
      String json = history.toJson(false);
      StringBuilder decoded = new StringBuilder();
      history.getEvents().forEach(e -> decoded.append(e.toString()));
      assertThat(json).doesNotContain(SECRET);
      assertThat(decoded.toString())
          .doesNotContain(SECRET)
          .contains("env:CUTOVER_TEST_DB_PASSWORD");
      assertThat(
              DefaultDataConverter.newDefaultInstance()
                  .toPayload(status)
                  .orElseThrow()
                  .getData()
                  .toStringUtf8())
          .doesNotContain(SECRET);
    }
  }
}
