package dev.cutover.steps.cron;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.preflight.PreflightActivitiesImpl;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.steps.run.RunActivitiesImpl;
import dev.cutover.workflow.AbortRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationResult;
import dev.cutover.workflow.MigrationResults;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.MigrationWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cron} with {@code action: remove} run by the real workflow and the real activity (the
 * stand-in crontab of {@link CronActivitiesImplTest}): an abort puts the crontab back, which needs
 * the undo (run as STEP.undo) to find the copy the step saved under its own name.
 */
class CronRemoveInWorkflowTest {
  @TempDir Path dir;

  @Test
  void anAbortInstallsTheRemovedCrontabAgain() throws Exception {
    // given www-data's crontab on the old host, a plan that removes it and then fails
    Path host = Files.createDirectories(dir.resolve("old"));
    Files.writeString(host.resolve("users"), "www-data\n");
    Path crontab = host.resolve("crontab");
    Files.writeString(crontab, CronActivitiesImplTest.STAND_IN);
    Files.setPosixFilePermissions(crontab, PosixFilePermissions.fromString("rwx------"));
    Path spool = Files.createDirectories(host.resolve("spool")).resolve("www-data");
    Files.writeString(spool, CronActivitiesImplTest.OLD_TAB);
    Plan plan =
        PlanLoader.parse(
            "cron-remove.yaml",
            """
        migration: whimsy
        hosts: {old: {transport: local}}
        phases:
          finish:
            steps:
              - {name: old-crontabs-off, kind: cron, action: remove, host: old, user: www-data}
              - {name: retire-old, kind: run, host: old, command: 'false', retry: {maxAttempts: 1}}
        """);

    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      CutoverSearchAttributes.ALL.forEach(
          k ->
              env.registerSearchAttribute(
                  k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      Worker worker = env.newWorker(CutoverNames.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(MigrationWorkflowImpl.class);
      HostShells shells = new HostShells(new NoSshTransport(), Set.of());
      SecretResolver secrets = new SecretResolver(Map.of());
      worker.registerActivitiesImplementations(
          new CronActivitiesImpl(
              shells, name -> crontab.toString(), name -> host.resolve("home").toString()),
          new RunActivitiesImpl(secrets, shells),
          new PreflightActivitiesImpl(shells, new PgSessions(shells, secrets), secrets));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      WorkflowClient.start(
          client.newWorkflowStub(
                  MigrationWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId("cron-remove")
                      .setTaskQueue(CutoverNames.TASK_QUEUE)
                      .build())
              ::run,
          new MigrationInput(plan, null, null));
      MigrationWorkflow workflow = client.newWorkflowStub(MigrationWorkflow.class, "cron-remove");
      for (int i = 0; i < 600 && workflow.status().state() != MigrationState.BLOCKED; i++) {
        env.sleep(Duration.ofSeconds(1));
      }
      assertThat(spool).doesNotExist();

      // when the operator aborts
      workflow.abortMigration(new AbortRequest("old host still needed", "carol"));
      MigrationResult result = MigrationResults.await(client.newUntypedWorkflowStub("cron-remove"));

      // then the crontab is back as it was
      assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
      assertThat(Files.readString(spool)).isEqualTo(CronActivitiesImplTest.OLD_TAB);
    }
  }
}
