package dev.cutover.steps.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.DnsProvider;
import dev.cutover.plan.Host;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.preflight.PreflightDns;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.testing.BindTestServer;
import dev.cutover.testing.RealTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNS preflight against real BIND and real files: every problem found, nothing changed. */
@RealTools
class DnsPreflightTest {
  static BindTestServer bind;
  static DnsPreflight preflight;

  @BeforeAll
  static void start() {
    bind = BindTestServer.start(List.of("www 600 IN A 192.0.2.10"), true);
    SecretResolver secrets =
        new SecretResolver(
            Map.of(
                "TSIG",
                bind.updateSecret(),
                "OTHER_TSIG",
                bind.otherSecret(),
                "WRONG_TSIG",
                bind.otherSecret()));
    preflight =
        new DnsPreflight(
            secrets, new HostShells(new NoSshTransport(), Set.of()), Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    if (bind != null) {
      bind.close();
    }
  }

  static PreflightDns entry(DnsTarget target, List<String> expected, List<String> values) {
    return new PreflightDns("switch", target, "www", DnsRecordType.A, expected, values);
  }

  static PreflightCheck find(List<PreflightCheck> checks, String host, String checkStart) {
    return checks.stream()
        .filter(c -> c.host().equals(host) && c.check().startsWith(checkStart))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no check " + checkStart + " for " + host + " in " + checks));
  }

  @Test
  void aReadyRecordPassesEveryCheckAndNothingChanges() {
    // given the plan's record as it expects, and its update key
    long serial = bind.primarySerial();

    // when preflight checks it
    List<PreflightCheck> checks =
        preflight.check(
            entry(
                bind.target(BindTestServer.UPDATE_KEY, "env:TSIG"),
                List.of("192.0.2.10"),
                List.of("198.51.100.10")));

    // then each server serves the zone, the record is as expected, the key may change it, and the
    // zone kept its serial
    assertThat(checks).allSatisfy(c -> assertThat(c.ok()).as(c.line()).isTrue());
    assertThat(checks)
        .extracting(PreflightCheck::host, PreflightCheck::check)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(bind.primary(), "dns zone cutover.test"),
            org.assertj.core.groups.Tuple.tuple(bind.secondary(), "dns zone cutover.test"),
            org.assertj.core.groups.Tuple.tuple(
                bind.primary(), "dns record www.cutover.test A for switch"),
            org.assertj.core.groups.Tuple.tuple(
                bind.primary(), "dns key cutover-update for switch"));
    assertThat(bind.primarySerial()).isEqualTo(serial);
  }

  @Test
  void aWrongSecretAKeyWithoutRightsAndAnUnexpectedValueAreEachReported() {
    // given three entries: a wrong secret, a key without update rights, and a record that is not
    // what the plan expects
    long serial = bind.primarySerial();
    List<PreflightCheck> checks = new ArrayList<>();

    // when preflight checks them
    preflight.check(
        List.of(
            entry(
                bind.target(BindTestServer.UPDATE_KEY, "env:WRONG_TSIG"),
                List.of("192.0.2.10"),
                List.of("198.51.100.10")),
            entry(
                bind.target(BindTestServer.OTHER_KEY, "env:OTHER_TSIG"),
                List.of(),
                List.of("198.51.100.10")),
            entry(
                bind.target(BindTestServer.UPDATE_KEY, "env:TSIG"),
                List.of("192.0.2.99"),
                List.of("198.51.100.10"))),
        checks::add,
        () -> {});

    // then each problem is a failed check naming the server, and nothing changed
    List<PreflightCheck> failed = checks.stream().filter(c -> !c.ok()).toList();
    assertThat(failed).hasSize(3);
    assertThat(failed.get(0).check()).isEqualTo("dns key cutover-update for switch");
    assertThat(failed.get(0).detail()).contains("BADSIG").doesNotContain(bind.otherSecret());
    assertThat(failed.get(1).check()).isEqualTo("dns key cutover-other for switch");
    assertThat(failed.get(1).detail()).contains("REFUSED");
    assertThat(failed.get(2).check()).isEqualTo("dns record www.cutover.test A for switch");
    assertThat(failed.get(2).detail()).contains("holds 192.0.2.10").contains("expects 192.0.2.99");
    assertThat(failed).allSatisfy(c -> assertThat(c.host()).isEqualTo(bind.primary()));
    assertThat(bind.primarySerial()).isEqualTo(serial);
  }

  @Test
  void aZoneNotServedAndAMissingRecordForATtlChangeAreReported() {
    // given a zone the servers do not serve, and a TTL change of a record that does not exist
    DnsTarget elsewhere =
        new DnsTarget(
            "bind",
            DnsProvider.RFC2136,
            "elsewhere.test",
            bind.servers(),
            BindTestServer.UPDATE_KEY,
            BindTestServer.ALGORITHM,
            "env:TSIG",
            List.of());

    // when preflight checks them
    List<PreflightCheck> unserved =
        preflight.check(entry(elsewhere, List.of(), List.of("198.51.100.10")));
    List<PreflightCheck> ttl =
        preflight.check(
            new PreflightDns(
                "lower-ttl",
                bind.target(BindTestServer.UPDATE_KEY, "env:TSIG"),
                "missing",
                DnsRecordType.A,
                List.of(),
                List.of()));

    // then each server fails the zone check, and the TTL change finds no record
    assertThat(unserved)
        .hasSize(2)
        .allSatisfy(
            c -> {
              assertThat(c.ok()).isFalse();
              assertThat(c.check()).isEqualTo("dns zone elsewhere.test");
              assertThat(c.detail()).contains("does not serve zone elsewhere.test");
            });
    assertThat(find(ttl, bind.primary(), "dns record").ok()).isFalse();
    assertThat(find(ttl, bind.primary(), "dns record").detail()).contains("does not exist");
  }

  @Test
  void hostsFilesMustBeWritableAndHoldTheExpectedAddress(@TempDir Path dir) throws Exception {
    // given one writable hosts file as expected, and one host whose file is missing (root may write
    // any file, so a missing one stands in for an unusable one)
    Path good = Files.writeString(dir.resolve("good"), "192.0.2.10 www\n");
    Path missing = dir.resolve("missing");
    DnsTarget target =
        new DnsTarget(
            "hosts",
            DnsProvider.HOSTS_FILE,
            null,
            List.of(),
            null,
            null,
            null,
            List.of(
                new DnsHostsFile("web", Host.local(null), good.toString(), false),
                new DnsHostsFile("worker", Host.local(null), missing.toString(), false)));

    // when preflight checks them
    List<PreflightCheck> checks =
        preflight.check(entry(target, List.of("192.0.2.10"), List.of("198.51.100.10")));

    // then the good file passes both checks and the missing one fails naming its host
    assertThat(find(checks, "web", "hosts file").ok()).isTrue();
    assertThat(find(checks, "web", "dns record www A").ok()).isTrue();
    assertThat(find(checks, "worker", "hosts file").ok()).isFalse();
    assertThat(find(checks, "worker", "hosts file").detail()).contains("cannot read " + missing);
    assertThat(checks.stream().filter(c -> c.host().equals("worker")).toList()).hasSize(1);
  }
}
