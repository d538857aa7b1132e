package dev.cutover.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.pgswitch.PgBouncerSpec;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.testing.PgBouncerTestServer;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Preflight of the PgBouncer a pg-switch holds clients at, against a real PgBouncer 1.18. */
@RealTools
class PreflightBouncerTest {
  static final Host LOCAL = Host.local(null);

  @Test
  void aReadyBouncerPassesAndAWrongPasswordOrAMissingEntryIsListedWithItsType() {
    PgTestCluster.requireInstalled();
    try (PgTestCluster pg = PgTestCluster.start("old");
        PgBouncerTestServer bouncer =
            PgBouncerTestServer.start(
                List.of("shop = host=127.0.0.1 port=" + pg.port() + " dbname=shop"),
                Map.of(),
                List.of())) {
      // given a worker that knows the right admin password as BOUNCER_OK and a wrong one as BAD
      HostShells shells = new HostShells(new NoSshTransport(), Set.of());
      SecretResolver secrets =
          new SecretResolver(Map.of("BOUNCER_OK", bouncer.adminPassword(), "BAD", "not-it"));
      PreflightActivitiesImpl preflight =
          new PreflightActivitiesImpl(shells, new PgSessions(shells, secrets), secrets);
      String file = bouncer.databasesFile().toString();
      PreflightRequest request =
          new PreflightRequest(
              "shop",
              List.of(new PreflightHost("old", LOCAL, List.of("sha256sum", "base64"), false)),
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              List.of(
                  bouncer("ready", "env:BOUNCER_OK", "shop", file, bouncer.port()),
                  bouncer("wrong-password", "env:BAD", "shop", file, bouncer.port()),
                  bouncer("no-entry", "env:BOUNCER_OK", "nosuch", file, bouncer.port())));

      // when preflight runs
      PreflightReport report = preflight.inspect(request, () -> {});

      // then the ready bouncer passes, and the others fail naming their type
      assertThat(report.checks())
          .filteredOn(c -> c.check().startsWith("pgbouncer"))
          .extracting(PreflightCheck::line)
          .satisfiesExactly(
              ready -> assertThat(ready).startsWith("ok").contains("pgbouncer shop for ready"),
              wrong ->
                  assertThat(wrong)
                      .startsWith("FAILED")
                      .contains("wrong-password")
                      .contains("[DatabaseAuthenticationFailed]"),
              missing ->
                  assertThat(missing)
                      .startsWith("FAILED")
                      .contains("no-entry")
                      .contains("[InvalidConfig]")
                      .contains("nosuch"),
              missingInFile ->
                  assertThat(missingInFile)
                      .startsWith("FAILED")
                      .contains("[InvalidConfig]")
                      .contains(file));
    }
  }

  private static PreflightBouncer bouncer(
      String step, String passwordRef, String entry, String file, int port) {
    return new PreflightBouncer(
        step,
        new PgBouncerSpec("old", port, PgBouncerTestServer.ADMIN, "bouncer-admin", entry, file),
        LOCAL,
        passwordRef,
        false);
  }
}
