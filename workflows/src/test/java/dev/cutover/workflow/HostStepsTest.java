package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.preflight.PreflightCopy;
import dev.cutover.preflight.PreflightRequest;
import dev.cutover.steps.CutoverErrors;
import org.junit.jupiter.api.Test;

/**
 * The host step kinds in the workflow: preflight first, presync statistics, built-in undos in
 * reverse.
 */
class HostStepsTest extends WorkflowTestSupport {
  final HostStepsFake hosts = new HostStepsFake();

  static final Plan PLAN =
      Plans.parse(
          """
      migration: shop
      secrets: {app-env: env:APP_ENV}
      hosts:
        old: {transport: ssh, address: 10.0.0.2, jump: bastion, passphraseSecret: app-env}
        new: {transport: ssh, address: 10.0.0.3, sudo: true}
        bastion: {transport: ssh, address: 10.0.0.1}
      gates:
        - {name: go-downtime, before: downtime}
      phases:
        prepare:
          steps:
            - {name: app-env, kind: put, host: new, path: /srv/app/.env, contentSecret: app-env, mode: "0600"}
        presync:
          rounds: 2
          every: 1h
          steps:
            - {name: sync, kind: rsync, from: old, to: new, source: /srv/app, target: /srv/app, delete: true, excludes: [cache/]}
        downtime:
          steps:
            - {name: page-on, kind: maintenance, host: old, action: on, path: /srv/app/maintenance.flag}
            - {name: stop-app, kind: service, host: old, unit: app.service, action: stop}
            - {name: final-sync, kind: rsync, from: old, to: new, source: /srv/app, target: /srv/app, delete: true}
            - {name: move-cron, kind: cron, from: old, to: new, user: app}
            - {name: start-new, kind: run, host: new, command: 'false'}
      """);

  @Override
  Object[] moreActivities() {
    return new Object[] {hosts};
  }

  @Test
  void preflightRunsFirstAndPresyncRoundsPredictTheFinalSync() {
    // given a plan over ssh hosts with an rsync presync of two rounds and a gate before downtime
    MigrationWorkflow workflow = start(PLAN);

    // when the gate opens
    MigrationStatus atGate = awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));

    // then preflight ran before anything else, knowing which tools each host needs
    assertThat(hosts.calls.get(0))
        .isEqualTo(
            "preflight [new[sha256sum, stat, rsync, crontab], old[rsync, systemctl, crontab]]");
    assertThat(atGate.steps().get(0).name()).isEqualTo("preflight");
    assertThat(atGate.steps().get(0).state()).isEqualTo(StepState.SUCCEEDED);
    // and each round recorded what rsync changed, and the last round gives the estimate at the gate
    assertThat(atGate.presyncRounds()).hasSize(2);
    assertThat(atGate.presyncRounds().get(1).changedFiles()).isEqualTo(600L);
    assertThat(atGate.presyncRounds().get(1).syncMillis()).isEqualTo(30_000L);
    assertThat(atGate.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .contains("Final sync estimate: about 30s")
                    .contains("changed 600 files"));
    // and the activity got the hosts resolved: the jump host's definition and the passphrase's
    // reference, not a value
    assertThat(hosts.rsyncRequests.get(0).sourceHost().jumpHost().address()).isEqualTo("10.0.0.1");
    assertThat(hosts.rsyncRequests.get(0).sourceHost().passphraseRef()).isEqualTo("env:APP_ENV");
    assertThat(hosts.putRequests.get(0).contentSecret()).isEqualTo("env:APP_ENV");
    // and what activities save on hosts is named after this run, not only the migration
    assertThat(hosts.putRequests.get(0).migration()).matches("shop-[0-9a-f]{8}");
    assertThat(step(atGate, "sync").outputTail()).contains("600 changed");
  }

  @Test
  void abortUndoesHostStepsInReverseFromWhatTheyRecorded() {
    // given the migration blocked at its last step, after maintenance, stop, final sync and cron
    // moved
    run.answer(
        r -> {
          throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
              "app does not start", CutoverErrors.COMMAND_FAILED);
        });
    MigrationWorkflow workflow = start(PLAN);
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    workflow.approveGate(new ApproveRequest("go-downtime", null, null));
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // when the operator aborts
    workflow.abortMigration(new AbortRequest("new host not ready", "carol"));
    MigrationResult result = result();

    // then each host step's own undo ran, newest first, with what its run recorded (the cron
    // restore
    // names the step itself, under whose name its copies are saved on the hosts, not its undo)
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    int firstUndo = hosts.calls.indexOf("cron-restore move-cron /root/.cutover/x/old.crontab");
    assertThat(firstUndo).isPositive();
    assertThat(hosts.calls.subList(firstUndo, hosts.calls.size()))
        .containsExactly(
            "cron-restore move-cron /root/.cutover/x/old.crontab",
            "service stop-app.undo start",
            "maintenance-off page-on.undo",
            "put-restore app-env.undo /srv/app/.env.bak");
    assertThat(step(result, "move-cron").state()).isEqualTo(StepState.UNDONE);
    assertThat(step(result, "app-env").state()).isEqualTo(StepState.UNDONE);
    // and the rsync steps, which only add to the new host, had nothing to undo
    assertThat(step(result, "final-sync").state()).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void aStepCutShortByAbortIsUndoneFromWhatIsOnTheHosts() {
    // given a cron move still running when the operator aborts
    hosts.cronRunsUntilCanceled = true;
    MigrationWorkflow workflow = start(PLAN);
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    workflow.approveGate(new ApproveRequest("go-downtime", null, null));
    awaitStatus(workflow, s -> "move-cron".equals(s.currentStep()));

    // when the operator aborts
    workflow.abortMigration(new AbortRequest("wrong crontab", "erin"));
    MigrationResult result = result();

    // then the move is undone from the copies saved on the hosts, before the earlier steps' undos
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    int firstUndo = hosts.calls.indexOf("cron-restore move-cron from the saved copies");
    assertThat(firstUndo).isPositive();
    assertThat(hosts.calls.subList(firstUndo, hosts.calls.size()))
        .containsExactly(
            "cron-restore move-cron from the saved copies",
            "service stop-app.undo start",
            "maintenance-off page-on.undo",
            "put-restore app-env.undo /srv/app/.env.bak");
  }

  static final Plan PUTS =
      Plans.parse(
          """
      migration: shop
      hosts:
        new: {transport: local}
      phases:
        prepare:
          steps:
            - {name: app-conf, kind: put, host: new, path: /etc/app/conf.d/app.conf, content: "x=1"}
            - {name: kept, kind: put, host: new, path: /etc/app/kept.conf, content: "y=2", keepBackup: true}
        switch:
          steps:
            - {name: vhost, kind: put, host: new, path: /etc/nginx/conf.d/shop.conf, content: "server {}", sudo: true}
      """);

  @Test
  void aCompletedMigrationRemovesItsPutBackupsButThoseItKeeps() {
    // given a plan with three put steps, one of which keeps its backup
    start(PUTS);

    // when the migration completes
    MigrationResult result = result();

    // then, after the last step, one cleanup removed the backups of the other two, named as the
    // puts named them
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(hosts.calls).last().isEqualTo("put-cleanup [app-conf, vhost]");
    assertThat(hosts.cleanupRequests).hasSize(1);
    assertThat(hosts.cleanupRequests.get(0).migration())
        .isEqualTo(hosts.putRequests.get(0).migration());
    assertThat(hosts.cleanupRequests.get(0).files())
        .extracting(f -> f.path())
        .containsExactly("/etc/app/conf.d/app.conf", "/etc/nginx/conf.d/shop.conf");
    assertThat(hosts.cleanupRequests.get(0).files().get(1).sudo()).isTrue();
  }

  @Test
  void aCleanupThatKeepsFailingIsNotedAndTheMigrationStillCompletes() {
    // given a host that refuses the cleanup on every attempt
    hosts.cleanupFailures.set(100);
    start(PUTS);

    // when the migration completes
    MigrationResult result = result();

    // then it completed, the cleanup was tried three times, and a note says what to remove by hand
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(hosts.cleanupRequests).hasSize(3);
    MigrationStatus status = client.newWorkflowStub(MigrationWorkflow.class, ID).status();
    assertThat(status.notes())
        .anySatisfy(
            n ->
                assertThat(n)
                    .contains("put steps were not all removed")
                    .contains("connection refused"));
  }

  @Test
  void aPlanWhosePutsAllKeepTheirBackupsHasNoCleanup() {
    // given a plan whose only put keeps its backup
    start(
        Plans.parse(
            """
        migration: shop
        hosts:
          new: {transport: local}
        phases:
          prepare:
            steps:
              - {name: kept, kind: put, host: new, path: /etc/app/kept.conf, content: "y=2", keepBackup: true}
        """));

    // when the migration completes
    MigrationResult result = result();

    // then no cleanup ran
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(hosts.cleanupRequests).isEmpty();
  }

  @Test
  void failedPreflightBlocksUntilTheOperatorRetries() {
    // given a new host that lacks rsync at first
    hosts.preflightFailures.set(1);
    MigrationWorkflow workflow = start(PLAN);

    // when preflight runs
    MigrationStatus blocked = awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // then the run waits on the preflight step with the problem, having changed nothing
    assertThat(blocked.waitingFor()).isEqualTo("decision:preflight");
    assertThat(step(blocked, "preflight").error()).contains("tool rsync");
    assertThat(step(blocked, "preflight").errorType()).isEqualTo(CutoverErrors.PREFLIGHT_FAILED);
    assertThat(hosts.calls).hasSize(1);

    // and after the operator installs rsync and decides retry, the migration goes on
    workflow.decideStep(
        new DecideRequest("preflight", DecisionAction.RETRY, "installed rsync", "dave"));
    awaitStatus(workflow, s -> "gate:go-downtime".equals(s.waitingFor()));
    assertThat(hosts.calls).contains("put app-env", "rsync sync");
  }

  @Test
  void aCopyFromWhatAnEarlierStepMadeIsCheckedJustBeforeItAndBlocksThereUntilRetried() {
    // given a plan that stages a tree on new, then keeps part of it on old, and the staged part
    // cannot be read at first
    Plan plan =
        Plans.parse(
            """
        migration: shop
        hosts:
          old: {transport: ssh, address: 10.0.0.2}
          new: {transport: ssh, address: 10.0.0.3}
        phases:
          prepare:
            steps:
              - {name: stage, kind: rsync, from: old, to: new, source: /srv/app, target: /srv/staging}
              - {name: keep-uploads, kind: rsync, from: new, to: old, source: /srv/staging/uploads, target: /srv/backup}
        """);
    hosts.laterPreflightFailures.set(1);
    MigrationWorkflow workflow = start(plan);

    // when the run reaches the copy of the staged tree
    MigrationStatus blocked = awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // then preflight at the start passed without refusing the staged tree, which it left for later,
    PreflightRequest atStart = hosts.preflightRequests.get(0);
    assertThat(atStart.copies()).extracting(PreflightCopy::step).containsExactly("stage");
    assertThat(atStart.notes())
        .extracting(PreflightCheck::check)
        .containsExactly("source of keep-uploads");
    assertThat(step(blocked, "preflight").state()).isEqualTo(StepState.SUCCEEDED);
    // and the check just before the copy, after stage ran, blocked that step with the problem, and
    // the copy did not run
    assertThat(hosts.calls)
        .containsExactly(
            "preflight [old[rsync], new[rsync]]", "rsync stage", "preflight [new[], old[]]");
    assertThat(blocked.waitingFor()).isEqualTo("decision:keep-uploads");
    assertThat(step(blocked, "keep-uploads").errorType()).isEqualTo(CutoverErrors.PREFLIGHT_FAILED);
    assertThat(step(blocked, "keep-uploads").error())
        .contains("/srv/staging/uploads cannot be read");

    // and after the operator decides retry, it checks again and copies
    workflow.decideStep(
        new DecideRequest("keep-uploads", DecisionAction.RETRY, "fixed the permissions", "dave"));
    MigrationResult result = result();
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(hosts.calls)
        .containsExactly(
            "preflight [old[rsync], new[rsync]]",
            "rsync stage",
            "preflight [new[], old[]]",
            "preflight [new[], old[]]",
            "rsync keep-uploads");
    assertThat(hosts.preflightRequests.get(2).copies())
        .extracting(PreflightCopy::step)
        .containsExactly("keep-uploads");
  }
}
