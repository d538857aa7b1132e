package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.cli.CliTestServer.CliRun;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Commands that need no Temporal server (validate, preview, help), and what happens without one.
 */
class CliOfflineTest {
  @TempDir Path dir;

  static final String GOOD_PLAN =
      """
      migration: shop-move
      description: Move the shop
      hosts:
        old: {transport: local, address: old.example.net, user: deploy}
        new: {transport: local}
      secrets:
        db-password: env:SHOP_DB_PASSWORD
      gates:
        - {name: go-live, before: downtime, description: presync is green}
      phases:
        prepare:
          steps:
            - {name: check-disk, kind: run, host: new, command: df -h /srv}
        lower-ttl:
          oldTtl: 1d
          steps:
            - {name: lower-ttl, kind: run, host: old, command: ./set-ttl.sh 300}
        downtime:
          steps:
            - name: stop-app
              kind: run
              host: old
              command: systemctl stop shop
              undo: {kind: run, host: old, command: systemctl start shop}
            - {name: settle, kind: wait, duration: 1m}
            - {name: promote, kind: run, host: new, command: pg_ctl promote, pointOfNoReturn: true, secretEnv: {PGPASSWORD: db-password}}
        verify:
          steps:
            - {name: check-site, kind: run, host: new, command: curl -fsS http://localhost/}
      """;

  @Test
  void validateAcceptsAGoodPlan() throws IOException {
    // given a plan with every common section
    Path plan = write("good.yaml", GOOD_PLAN);

    // when it is validated
    CliRun run = CliRun.run("validate", plan.toString());

    // then the command says ok with a summary, and prints no problems
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains(plan + ": ok")
        .contains("migration shop-move")
        .contains("4 phase(s)")
        .contains("6 step(s)")
        .contains("1 gate(s)");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void validateListsEveryProblemAsFileLineColumnAndExits2() throws IOException {
    // given a plan with three mistakes on different lines
    Path plan =
        write(
            "bad.yaml",
            """
        migration: Shop Move
        hosts:
          old: {transport: local}
        phases:
          prepare:
            steps:
              - name: check-disk
                kind: run
                host: nowhere
                command: df -h
                timeout: 5 minutes
        """);

    // when it is validated
    CliRun run = CliRun.run("validate", plan.toString());

    // then each problem is one editor-clickable FILE:LINE:COL line naming the field, all at once
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    List<String> lines = run.err().lines().toList();
    assertThat(lines)
        .contains(
            plan
                + ":1:12: migration: 'Shop Move' is not a valid name: use lower case letters, digits and hyphens, at most 63",
            plan
                + ":11:18: phases.prepare.steps[0].timeout: bad duration '5 minutes': write a number with a unit, like 30s, 15m, 2h, 1d or 1h30m");
    assertThat(lines)
        .anyMatch(
            l ->
                l.startsWith(plan + ":9:15: phases.prepare.steps[0].host: unknown host 'nowhere'"));
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("cutover: " + plan + ": 3 problem(s); nothing was started");
    // and never a stack trace
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void validateOfAMissingFileExits2WithTheFileName() {
    // given a path with no file
    Path missing = dir.resolve("missing.yaml");

    // when it is validated
    CliRun run = CliRun.run("validate", missing.toString());

    // then the problem is reported like any other, at 1:1
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err()).contains(missing + ":1:1: (plan): no such file");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/dev/zero", "/dev/urandom"})
  void validateOfADeviceIsRefusedAtOnce(String device) {
    // given: a device that never ends (it ran the CLI out of memory after 22-47 s)
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of(device)));

    // when
    CliRun run = CliRun.run("validate", device);

    // then: one problem line and the summary, exit 2
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err().lines().toList())
        .containsExactly(
            device
                + ":1:1: (plan): is not a regular file (a FIFO, socket or device): cutover reads plans from regular files only",
            "cutover: " + device + ": 1 problem(s); nothing was started");
  }

  @Test
  void validateOfAFifoIsRefusedWithoutWaitingForAWriter() throws Exception {
    // given: a FIFO nobody writes to (validate hung on it forever)
    Path fifo = dir.resolve("plan.yaml");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    // when
    CliRun run =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(30), () -> CliRun.run("validate", fifo.toString()));

    // then
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err())
        .contains(fifo + ":1:1: (plan): is not a regular file")
        .doesNotContain("\tat ");
  }

  @Test
  void validateOfALatin1PlanSaysWhichLineIsNotUtf8() throws IOException {
    // given: the plan saved as ISO-8859-1, an 'é' on line 2 (validate said "Input length = 1")
    Path plan = dir.resolve("latin1.yaml");
    Files.write(
        plan,
        GOOD_PLAN
            .replace("Move the shop", "Déménager")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    // when
    CliRun run = CliRun.run("validate", plan.toString());

    // then
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err()).contains(plan + ":2:15: (plan): the file is not UTF-8: byte 0xe9");
  }

  @Test
  void startRefusesAPlanTooLargeForTheWorkflowInputBeforeAnyCallToTemporal() throws IOException {
    // given: a plan over the input limit, and an address where nothing listens
    Path plan =
        write("large.yaml", GOOD_PLAN.replace("df -h /srv", "echo " + "x".repeat(1_700_000)));
    String address = "127.0.0.1:" + freedPort();

    // when
    CliRun run = CliRun.run("start", plan.toString(), "--address", address);

    // then: the size and the limit, exit 2; Temporal was never asked (that would be "cannot reach",
    // exit 1)
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err())
        .containsPattern(
            java.util.regex.Pattern.quote(plan.toString())
                + ":1:1: \\(plan\\): the plan is too large for Temporal to hold: \\d+ bytes as the workflow's input, at most 1572864")
        .doesNotContain("cannot reach")
        .doesNotContain("\tat ");
  }

  @Test
  void startRefusesAWaitLongerThanTheWorkflowCanHoldBeforeAnyCallToTemporal() throws IOException {
    // given: the probe that wedged a run in a workflow-task failure loop
    Path plan = write("forever.yaml", GOOD_PLAN.replace("duration: 1m", "duration: 99999999d"));

    // when
    CliRun run = CliRun.run("start", plan.toString(), "--address", "127.0.0.1:" + freedPort());

    // then
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err().lines().toList())
        .containsExactly(
            plan
                + ":25:46: phases.downtime.steps[1].duration: '99999999d' is longer than cutover can wait: at most 3650d (10 years)",
            "cutover: " + plan + ": 1 problem(s); nothing was started");
  }

  private static int freedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void previewPrintsPhasesGatesStepsAndTimersInRunOrder() throws IOException {
    // given a plan whose file order differs from the run order (verify written first)
    Path plan =
        write(
            "preview.yaml",
            """
        migration: preview-me
        hosts: {old: {transport: local}}
        gates: [{name: go-live, before: downtime}]
        phases:
          verify:
            steps: [{name: check-site, kind: run, host: old, command: curl -fsS http://localhost/}]
          prepare:
            steps: [{name: check-disk, kind: run, host: old, command: df -h /srv}]
          lower-ttl:
            oldTtl: 1d
            steps: [{name: lower-ttl, kind: run, host: old, command: ./set-ttl.sh 300}]
          downtime:
            steps:
              - name: stop-app
                kind: run
                host: old
                command: systemctl stop shop
                undo: {kind: run, host: old, command: systemctl start shop}
              - {name: settle, kind: wait, duration: 90s}
        """);

    // when it is previewed
    CliRun run = CliRun.run("preview", plan.toString());

    // then everything appears in the order the workflow will do it, with commands, undo and timers
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .containsSubsequence(
            "Migration preview-me",
            "Phase prepare",
            " 1. check-disk [run on old] $ df -h /srv",
            "Phase lower-ttl",
            " 2. lower-ttl [run on old] $ ./set-ttl.sh 300",
            "[timer] wait out the old TTL: 1d",
            "Phase downtime",
            "[gate] go-live: wait for approval",
            " 3. stop-app [run on old] $ systemctl stop shop",
            "undo: [run on old] $ systemctl start shop",
            " 4. settle [wait] [timer] 1m30s",
            "Phase verify",
            " 5. check-site [run on old] $ curl -fsS http://localhost/");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void previewSaysWhatTheKindsTheRunbooksDidByHandWillDo() throws IOException {
    // given a plan with a database created, a DNS change waited for, a reboot and a crontab removed
    Path plan =
        write(
            "runbook-kinds.yaml",
            """
        migration: runbook-kinds
        secrets: {admin-pw: env:ADMIN_PW, owner-pw: env:OWNER_PW, tsig: env:TSIG}
        hosts:
          old: {transport: ssh, address: 10.0.0.2}
          new: {transport: ssh, address: 10.0.0.3}
        databases:
          new-finance: {host: new, name: finance, passwordSecret: admin-pw}
        dns:
          public: {provider: rfc2136, zone: example.org, servers: [ns1.example.org], tsigKey: cutover-key, tsigSecret: tsig}
        phases:
          prepare:
            steps: [{name: finance-db, kind: pg-database, database: new-finance, owner: financedbadministrator, passwordSecret: owner-pw}]
          switch:
            steps:
              - {name: dns-changed-over, kind: dns-wait, dns: public, record: www, value: 192.0.2.20}
              - {name: reboot-new, kind: reboot, host: new}
              - {name: old-crontabs-off, kind: cron, action: remove, host: old, user: www-data}
        """);

    // when it is previewed
    CliRun run = CliRun.run("preview", plan.toString());

    // then each step says what it will do, the password by its secret's name only
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .containsSubsequence(
            " 1. finance-db [pg-database] new-finance owned by financedbadministrator, password from owner-pw",
            " 2. dns-changed-over [dns-wait] until every server of public answers www A 192.0.2.20",
            " 3. reboot-new [reboot on new], then wait until it is back with the same host key",
            " 4. old-crontabs-off [cron on old] crontab of www-data saved and removed");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void previewShowsNotificationsAndTheTtlRestoresTheFinishPhaseEndsWith() throws IOException {
    // given a plan with notifications, a TTL lowered ahead, a record switched, and a dns-ttl in the
    // finish phase (which sets a TTL there and lowers nothing ahead)
    Path plan =
        write(
            "traffic.yaml",
            """
        migration: traffic
        hosts: {old: {transport: local}}
        secrets:
          slack: env:SLACK_WEBHOOK
          tsig: env:TSIG_SECRET
          smtp-user: env:SMTP_USER
          smtp-password: file:/etc/cutover/smtp-password
        dns:
          public: {provider: rfc2136, zone: example.org, servers: [ns1.example.org], tsigKey: cutover-key, tsigSecret: tsig}
        notifications:
          webhook: slack
          email: {host: smtp.example.org, userSecret: smtp-user, passwordSecret: smtp-password, from: cutover@example.org, to: [ops@example.org]}
          on: [gate-opened, gate-reminder, downtime-started]
          remindEvery: 30m
        phases:
          lower-ttl:
            oldTtl: 1h
            steps: [{name: short-ttl, kind: dns-ttl, dns: public, record: www, ttl: 60s}]
          switch:
            steps: [{name: flip-www, kind: dns-set, dns: public, record: www, value: 192.0.2.20}]
          finish:
            steps: [{name: mail-ttl, kind: dns-ttl, dns: public, record: mail, ttl: 1h}]
        """);

    // when it is previewed
    CliRun run = CliRun.run("preview", plan.toString());

    // then the notifications are shown by secret name, with their events and reminders
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .containsSubsequence(
            "Notifications:",
            "  webhook: URL from secret slack",
            "  email: smtp.example.org:587 with STARTTLS, login from secrets smtp-user and smtp-password, from cutover@example.org to ops@example.org",
            "  on: gate-opened, gate-reminder, downtime-started",
            "  reminders: every 30m while a gate waits",
            "Secrets");
    // and only the TTL lowered ahead is said to be put back, by a restore step at the end of the
    // finish phase
    assertThat(run.out())
        .containsSubsequence(
            "Phase lower-ttl",
            " 1. short-ttl [dns-ttl] public: www A TTL -> 1m, then every server answers it; a dns-set waits out the old TTL, the finish phase puts it back",
            "Phase finish",
            " 3. mail-ttl [dns-ttl] public: mail A TTL -> 1h, then every server answers it\n",
            " 4. short-ttl-restore [dns-ttl] put back the TTL short-ttl lowered: public: www A (automatic)");
    assertThat(run.out()).doesNotContain("mail-ttl-restore", "(all events)");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void previewListsTheTtlRestoreInAFinishPhaseWithoutStepsOfItsOwn() throws IOException {
    // given a plan that lowers a TTL and whose finish phase has no steps, and notifications by
    // e-mail only
    Path plan =
        write(
            "restore-only.yaml",
            """
        migration: restore-only
        hosts: {old: {transport: local}}
        secrets: {tsig: env:TSIG_SECRET}
        dns:
          public: {provider: rfc2136, zone: example.org, servers: [ns1.example.org], tsigKey: cutover-key, tsigSecret: tsig}
        notifications:
          email: {host: relay.internal, port: 25, startTls: false, from: cutover@example.org, to: [ops@example.org, "Dana <dana@example.org>"]}
        phases:
          lower-ttl:
            oldTtl: 1h
            steps: [{name: short-ttl, kind: dns-ttl, dns: public, record: www, ttl: 60s}]
          finish: {steps: []}
        """);

    // when it is previewed
    CliRun run = CliRun.run("preview", plan.toString());

    // then the finish phase shows the restore the workflow runs there
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .containsSubsequence(
            "  email: relay.internal:25 without TLS, no login, from cutover@example.org to ops@example.org, Dana <dana@example.org>",
            "  on: gate-opened, gate-reminder, step-blocked, downtime-started, downtime-ended, migration-done, migration-aborted (all events)",
            "  reminders: none (no remindEvery)",
            "Phase finish",
            " 2. short-ttl-restore [dns-ttl] put back the TTL short-ttl lowered: public: www A (automatic)");
    assertThat(run.out()).doesNotContain("webhook:");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void previewNamesTheHostThatPullsAsTheWorkerWillRunIt() throws IOException {
    // given copies between two ssh hosts (one pushed, one pulled) and from an ssh host to the
    // worker's
    // own machine, which runs rsync itself and pulls whatever the step says
    Path plan =
        write(
            "copies.yaml",
            """
        migration: copies
        hosts:
          old: {transport: ssh, address: 192.0.2.2}
          new: {transport: ssh, address: 192.0.2.3}
          here: {transport: local}
        phases:
          presync:
            steps:
              - {name: push, kind: rsync, from: old, source: /srv/a, to: new, target: /srv/a}
              - {name: pull, kind: rsync, from: old, source: /srv/b, to: new, target: /srv/b, pull: true}
              - {name: fetch, kind: rsync, from: old, source: /srv/c, to: here, target: /backup/c}
        """);

    // when it is previewed
    CliRun run = CliRun.run("preview", plan.toString());

    // then the pulling host is named where the target runs rsync, and only there
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .containsSubsequence(
            " 1. push [rsync] old:/srv/a/ -> new:/srv/a\n",
            " 2. pull [rsync] old:/srv/b/ -> new:/srv/b (pulled by new)\n",
            " 3. fetch [rsync] old:/srv/c/ -> here:/backup/c (pulled by here)\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void previewOfABadPlanExits2LikeValidate() throws IOException {
    // given a plan with an unknown field
    Path plan =
        write(
            "typo.yaml",
            """
        migration: typo
        hosts: {old: {transport: local}}
        phases:
          prepare:
            steps: [{name: s, kind: run, host: old, comand: true}]
        """);

    // when it is previewed
    CliRun run = CliRun.run("preview", plan.toString());

    // then nothing is printed on stdout and the problems are on stderr with their place
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains(plan + ":5:").contains("comand");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "validate",
        "preview",
        "start",
        "status",
        "approve",
        "decide",
        "abort",
        "list",
        "dev",
        "demo",
        "help"
      })
  void everySubcommandHasHelp(String command) {
    // given any subcommand
    // when asked for --help
    CliRun run = CliRun.run(command, "--help");

    // then it prints its usage and succeeds, without touching a server
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OK);
    assertThat(run.out()).contains("Usage: cutover " + command);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void topLevelHelpListsTheCommandsAndExitCodes() {
    // when the CLI is asked for help
    CliRun run = CliRun.run("--help");

    // then it shows every command and the exit codes scripts rely on
    assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(run.out())
        .contains(
            "validate",
            "preview",
            "start",
            "status",
            "approve",
            "decide",
            "abort",
            "list",
            "dev",
            "demo")
        .contains("Exit codes: 0 ok, 1 failed, 2 invalid input, 3 rejected by the workflow.");
  }

  @Test
  void unknownOptionIsInvalidInput() {
    // when a command gets an option it does not have
    CliRun run = CliRun.run("status", "some-id", "--jsn");

    // then the usage error exits 2 and points to --help
    assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID_INPUT);
    assertThat(run.err())
        .contains("Unknown option: '--jsn'")
        .contains("Try 'cutover status --help'.");
  }

  @Test
  void unreachableServerGivesOneLineAndExit1() throws IOException {
    // given an address where nothing listens (a port just freed)
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String address = "127.0.0.1:" + port;

    // when a command needs the server
    CliRun run = CliRun.run("status", "cutover-anything", "--address", address);

    // then the operator reads one line saying what was tried and what to do, not a stack trace
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FAILED);
    assertThat(run.err().lines().toList())
        .singleElement()
        .asString()
        .startsWith("cutover: cannot reach Temporal at " + address + " (namespace default)")
        .contains("cutover dev")
        .contains("--address");
    assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception");
    assertThat(run.out()).isEmpty();
  }

  private Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }
}
