package dev.cutover.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Host;
import dev.cutover.plan.Transport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.testing.BindTestServer;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preflight against the worker's own machine as the hosts: real commands, real disks. */
class PreflightActivitiesImplTest {
  final PreflightActivitiesImpl preflight =
      new PreflightActivitiesImpl(new HostShells(new NoSshTransport(), Set.of()));
  static final Host LOCAL = Host.local(null);

  @RealTools
  @Test
  void readyHostsPassEveryCheck(@TempDir Path dir) throws Exception {
    RequiredTool.onPath("rsync", "apt-get install rsync");
    // given two local hosts with the tools the plan needs and a small tree to copy
    Files.createDirectories(dir.resolve("src/a"));
    Files.writeString(dir.resolve("src/a/file"), "x".repeat(10_000));
    PreflightRequest request =
        new PreflightRequest(
            "shop",
            List.of(
                new PreflightHost("old", LOCAL, List.of("sh", "cat"), false),
                new PreflightHost("new", LOCAL, List.of("sh"), false)),
            List.of(
                new PreflightCopy(
                    "sync",
                    "old",
                    LOCAL,
                    dir.resolve("src").toString(),
                    "new",
                    LOCAL,
                    dir.resolve("not/yet/there").toString(),
                    false,
                    null,
                    false)),
            List.of(),
            List.of(),
            List.of());

    // when preflight runs
    PreflightReport report = preflight.inspect(request, () -> {});

    // then every check passed, including the room for the copy in a target that does not exist yet
    assertThat(report.failures()).isEmpty();
    assertThat(report.checks())
        .extracting(PreflightCheck::check)
        .containsExactly(
            "reachable", "tool sh", "tool cat", "reachable", "tool sh", "disk for sync");
    assertThat(report.checks().get(5).detail()).contains("the tree is");
  }

  @RealTools
  @Test
  void aCopyIsSizedAsRsyncCopiesItWithoutTheTreesItsExcludesLeaveOut(@TempDir Path dir)
      throws Exception {
    RequiredTool.onPath("rsync", "apt-get install rsync");
    // given a tree of 30,000 bytes to copy beside 3 MB that the step's excludes leave out: a cache
    // directory (a pattern with a slash, anchored at the source) and every *.log at any depth
    Files.createDirectories(dir.resolve("src/app/var/cache"));
    Files.createDirectories(dir.resolve("src/cache"));
    Files.write(dir.resolve("src/app/index.php"), new byte[10_000]);
    Files.write(dir.resolve("src/app/var/data"), new byte[20_000]);
    Files.write(dir.resolve("src/app/var/cache/big"), new byte[1_000_000]);
    Files.write(dir.resolve("src/cache/top"), new byte[1_000_000]);
    Files.write(dir.resolve("src/app/var/debug.log"), new byte[1_000_000]);
    List<String> excludes = List.of("/app/var/cache/", "cache/", "*.log");
    PreflightRequest request =
        new PreflightRequest(
            "shop",
            List.of(new PreflightHost("old", LOCAL, List.of(), false)),
            List.of(
                new PreflightCopy(
                    "sync",
                    "old",
                    LOCAL,
                    dir.resolve("src").toString(),
                    "old",
                    LOCAL,
                    dir.resolve("dst").toString(),
                    false,
                    null,
                    false,
                    excludes)),
            List.of(),
            List.of(),
            List.of());

    // when preflight sizes the copy
    PreflightReport report = preflight.inspect(request, () -> {});

    // then the tree counts what rsync copies, as a real rsync with those excludes copies it
    PreflightCheck disk =
        report.checks().stream()
            .filter(c -> c.check().equals("disk for sync"))
            .findFirst()
            .orElseThrow();
    assertThat(disk.detail()).endsWith("the tree is 30,000 bytes without its excludes");
    Process copy =
        new ProcessBuilder(
                dev.cutover.steps.rsync.RsyncCommand.local(
                        dir.resolve("src").toString(), dir.resolve("dst").toString())
                    .excludes(excludes)
                    .arguments())
            .redirectErrorStream(true)
            .start();
    copy.getInputStream().readAllBytes();
    assertThat(copy.waitFor()).isZero();
    try (var files = Files.walk(dir.resolve("dst"))) {
      assertThat(files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum())
          .isEqualTo(30_000);
    }
  }

  @Test
  void whatTheWorkflowLeftForLaterIsReportedWithTheChecks() {
    // given a request whose copy source an earlier step makes, left for just before its step
    PreflightCheck later =
        new PreflightCheck(
            "new",
            "source of keep-uploads",
            true,
            "/srv/staging/uploads is made by step stage: it is sized, and its target's room checked, just before keep-uploads runs");
    PreflightRequest request =
        new PreflightRequest(
                "shop",
                List.of(new PreflightHost("new", LOCAL, List.of(), false)),
                List.of(),
                List.of(),
                List.of(),
                List.of())
            .withNotes(List.of(later));

    // when preflight runs
    PreflightReport report = preflight.checkAll(request, () -> {});

    // then the report says so among its checks, and passes
    assertThat(report.checks())
        .extracting(PreflightCheck::check)
        .containsExactly("reachable", "source of keep-uploads");
    assertThat(report.text())
        .contains(
            "ok      new: source of keep-uploads — /srv/staging/uploads is made by step stage");
  }

  @Test
  void everyProblemIsReportedAtOnceAndStopsWithoutRetry(@TempDir Path dir) {
    // given a host without a tool the plan uses, an ssh host this worker cannot reach, and a
    // missing source
    Host ssh =
        new Host(
            Transport.SSH,
            "10.231.0.99",
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    PreflightRequest request =
        new PreflightRequest(
            "shop",
            List.of(
                new PreflightHost("old", LOCAL, List.of("no-such-tool-cutover"), false),
                new PreflightHost("far", ssh, List.of("rsync"), false)),
            List.of(
                new PreflightCopy(
                    "sync",
                    "old",
                    LOCAL,
                    dir.resolve("missing").toString(),
                    "old",
                    LOCAL,
                    dir.toString(),
                    false,
                    null,
                    false)),
            List.of(),
            List.of(),
            List.of());

    // when preflight runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> preflight.checkAll(request, () -> {}));

    // then it stops without retries, and each problem names the host and what is wrong, with its
    // type as the docs name it
    assertThat(failure.getType()).isEqualTo(CutoverErrors.PREFLIGHT_FAILED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("old: tool no-such-tool-cutover — no-such-tool-cutover is not installed")
        .contains(
            "far: reachable — [TransportUnavailable] host far: transport ssh is not available")
        .contains("old: source of sync");
    assertThat(failure.getOriginalMessage()).startsWith("preflight found 3 problems:");
  }

  @RealTools
  @Test
  void dnsRecordsOfThePlanAreChecked() {
    // given a plan whose switch expects a value the record does not hold, on real BIND
    try (BindTestServer bind = BindTestServer.start(List.of("www 600 IN A 192.0.2.10"), false)) {
      HostShells shells = new HostShells(new NoSshTransport(), Set.of());
      SecretResolver secrets = new SecretResolver(java.util.Map.of("TSIG", bind.updateSecret()));
      PreflightActivitiesImpl withDns =
          new PreflightActivitiesImpl(shells, new PgSessions(shells, secrets), secrets);
      PreflightRequest request =
          new PreflightRequest(
              "shop",
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              List.of(
                  new PreflightDns(
                      "switch",
                      bind.target(BindTestServer.UPDATE_KEY, "env:TSIG"),
                      "www",
                      DnsRecordType.A,
                      List.of("192.0.2.99"),
                      List.of("198.51.100.10"))));

      // when preflight runs
      ApplicationFailure failure =
          catchThrowableOfType(ApplicationFailure.class, () -> withDns.checkAll(request, () -> {}));

      // then it stops on the record, naming the server, while zone and key passed
      assertThat(failure.getType()).isEqualTo(CutoverErrors.PREFLIGHT_FAILED);
      assertThat(failure.getOriginalMessage())
          .startsWith("preflight found 1 problem:")
          .contains(
              bind.primary()
                  + ": dns record www.cutover.test A for switch — holds 192.0.2.10 (TTL 600s); the plan expects 192.0.2.99");
    }
  }
}
