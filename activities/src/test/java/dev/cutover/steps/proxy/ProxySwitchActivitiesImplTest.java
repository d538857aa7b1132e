package dev.cutover.steps.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.http.HttpCheckActivitiesImpl;
import dev.cutover.steps.http.HttpCheckRequest;
import dev.cutover.steps.http.HttpCheckResult;
import dev.cutover.testing.NginxTestServer;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.TestCertificates;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The switch and its undo against two real nginx servers on loopback: the old host's and the new
 * one's.
 */
@RealTools
class ProxySwitchActivitiesImplTest {
  static final String NAME = "www.cutover.test";
  static final String OLD_SITE =
      "server {\n  listen 127.0.0.1:%d;\n  server_name "
          + NAME
          + ";\n"
          + "  location / { return 200 \"old\\n\"; }\n}\n";

  NginxTestServer old;
  NginxTestServer fresh;
  int oldPort;
  int newPort;
  Path site;
  String original;
  ProxySwitchActivitiesImpl activities;

  @BeforeEach
  void servers() throws IOException {
    NginxTestServer.requireInstalled();
    fresh = NginxTestServer.start("new");
    newPort = NginxTestServer.freePort();
    fresh.enableSite(
        "app",
        "server {\n  listen 127.0.0.1:"
            + newPort
            + ";\n"
            + "  location / { return 200 \"new host=$host xff=$http_x_forwarded_for real=$http_x_real_ip\\n\"; }\n}\n");
    fresh.reload();
    old = NginxTestServer.start("old");
    oldPort = NginxTestServer.freePort();
    original = String.format(OLD_SITE, oldPort);
    site = old.enableSite("app", original);
    old.reload();
    activities = new ProxySwitchActivitiesImpl(new HostShells(new NoSshTransport(), Set.of()));
  }

  @AfterEach
  void stop() {
    if (old != null) {
      old.close();
    }
    if (fresh != null) {
      fresh.close();
    }
  }

  @Test
  void theOldHostAnswersFromTheNewOneWithTheClientsHostAndAddress() throws IOException {
    // given the old host serves "old"
    assertThat(get(oldPort, NAME)).isEqualTo("old\n");

    // when the switch runs
    long reloads = old.reloadCount();
    ProxySwitchResult result = activities.switchToNew(request(site, "http://127.0.0.1:" + newPort));
    old.awaitReloads(reloads + 1);

    // then the old port answers from the new host, which saw the original Host and the client's
    // address
    assertThat(get(oldPort, NAME))
        .isEqualTo("new host=" + NAME + " xff=203.0.113.7, 127.0.0.1 real=127.0.0.1\n");
    assertThat(result.changed()).isTrue();
    assertThat(result.previousExisted()).isTrue();
    assertThat(result.previousSha256())
        .isEqualTo(ProxySwitchActivitiesImpl.sha256(original.getBytes(StandardCharsets.UTF_8)));
    assertThat(result.backupPath()).isEqualTo(site + ".cutover-switch-traffic.orig");
    assertThat(Files.readString(Path.of(result.backupPath()))).isEqualTo(original);
    assertThat(Files.readString(site))
        .startsWith("# written by cutover step switch-traffic\n")
        .contains("proxy_pass http://127.0.0.1:" + newPort + ";");
    assertThat(result.sha256())
        .isEqualTo(ProxySwitchActivitiesImpl.sha256(Files.readAllBytes(site)));
    assertThat(result.enabledLinkCreated()).isFalse();
  }

  @Test
  void theSwitchAndItsUndoReturnOnlyOnceNginxServesTheirSite() throws IOException {
    for (int round = 1; round <= 5; round++) {
      // when the switch returns
      ProxySwitchResult switched =
          activities.switchToNew(request(site, "http://127.0.0.1:" + newPort));

      // then the very next request is answered from the new host, without waiting for nginx
      assertThat(get(oldPort, NAME))
          .as("round %d, right after the switch", round)
          .startsWith("new ");

      // and right after the undo returns, from the old site again
      activities.restore(restoreRequest(switched));
      assertThat(get(oldPort, NAME)).as("round %d, right after the undo", round).isEqualTo("old\n");
    }
  }

  @Test
  void aSecondSwitchChangesNothingAndKeepsTheOriginalAsTheBackup() throws IOException {
    // given a switch has run
    ProxySwitchRequest request = request(site, "http://127.0.0.1:" + newPort);
    ProxySwitchResult first = activities.switchToNew(request);

    // when it runs again (a retry)
    ProxySwitchResult second = activities.switchToNew(request);

    // then nothing was written, the backup still holds the original, and the undo has what it needs
    assertThat(second.changed()).isFalse();
    assertThat(Files.readString(Path.of(first.backupPath()))).isEqualTo(original);
    assertThat(second.backupPath()).isEqualTo(first.backupPath());
    assertThat(second.previousSha256()).isEqualTo(first.previousSha256());
    assertThat(second.sha256()).isEqualTo(first.sha256());
  }

  @Test
  void theRestorePutsTheOldSiteBackAndASecondRestoreChangesNothing() throws IOException {
    // given the switch has run
    ProxySwitchResult switched =
        activities.switchToNew(request(site, "http://127.0.0.1:" + newPort));
    old.awaitReloads(2);
    assertThat(get(oldPort, NAME)).startsWith("new ");

    // when the undo runs, twice
    long reloads = old.reloadCount();
    ProxyRestoreResult restored = activities.restore(restoreRequest(switched));
    old.awaitReloads(reloads + 1);
    ProxyRestoreResult again = activities.restore(restoreRequest(switched));

    // then the old host serves "old" again from its original file, and the second undo did nothing
    assertThat(get(oldPort, NAME)).isEqualTo("old\n");
    assertThat(Files.readString(site)).isEqualTo(original);
    assertThat(restored.changed()).isTrue();
    assertThat(restored.exists()).isTrue();
    assertThat(restored.sha256()).isEqualTo(switched.previousSha256());
    assertThat(again.changed()).isFalse();
    assertThat(again.sha256()).isEqualTo(switched.previousSha256());
    assertThat(Path.of(switched.backupPath())).doesNotExist();
  }

  @Test
  void aSiteNginxRefusesIsNeverLoadedAndTheOriginalStays() throws IOException {
    // given a listen value that passes cutover's checks but not nginx's
    ProxySwitchRequest bad =
        new ProxySwitchRequest(
            "switch-traffic",
            "old",
            Host.local("old"),
            site.toString(),
            null,
            List.of(NAME),
            List.of("127.0.0.1:99999"),
            null,
            null,
            "http://127.0.0.1:" + newPort,
            null,
            null,
            old.testCommand(),
            old.reloadCommand(),
            false);

    // when the switch runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.switchToNew(bad));

    // then it fails for good with nginx's own words, the original site is back and still served
    assertThat(failure.getType()).isEqualTo(CutoverErrors.NGINX_CONFIG_INVALID);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step switch-traffic on host old: ")
        .contains("[emerg]")
        .contains("99999")
        .contains("put back");
    assertThat(Files.readString(site)).isEqualTo(original);
    assertThat(Path.of(site + ".cutover-switch-traffic.orig")).doesNotExist();
    assertThat(get(oldPort, NAME)).isEqualTo("old\n");
  }

  @Test
  void aValueThatWouldBreakOutOfItsDirectiveIsRefusedBeforeAnythingIsWritten() throws IOException {
    // given an upstream that smuggles a directive in
    ProxySwitchRequest smuggled =
        request(site, "http://127.0.0.1:" + newPort + "; return 200 pwned");

    // when the switch runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.switchToNew(smuggled));

    // then it is refused as bad config, and nothing on the host changed
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("upstream").contains("';'");
    assertThat(Files.readString(site)).isEqualTo(original);
    try (var files = Files.list(old.sitesAvailable())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("app");
    }
  }

  @Test
  void aSiteThatDidNotExistIsCreatedAndEnabledAndTheUndoRemovesBoth() throws IOException {
    // given no site "moved" and no link to it
    Path newSite = old.sitesAvailable().resolve("moved");
    Path link = old.sitesEnabled().resolve("moved");
    int port = NginxTestServer.freePort();
    ProxySwitchRequest request =
        new ProxySwitchRequest(
            "switch-moved",
            "old",
            Host.local("old"),
            newSite.toString(),
            link.toString(),
            List.of("moved.cutover.test"),
            List.of("127.0.0.1:" + port),
            null,
            null,
            "http://127.0.0.1:" + newPort,
            null,
            Duration.ofSeconds(5),
            old.testCommand(),
            old.reloadCommand(),
            false);

    // when the switch runs twice and then the undo
    ProxySwitchResult switched = activities.switchToNew(request);
    ProxySwitchResult retried = activities.switchToNew(request);
    old.awaitReloads(3);
    String proxied = get(port, "moved.cutover.test");
    String written = Files.readString(newSite);
    long reloads = old.reloadCount();
    ProxyRestoreResult restored = activities.restore(restoreRequest(switched));
    old.awaitReloads(reloads + 1);

    // then the site and its link came and went, and the retry still knew the link was the switch's
    assertThat(switched.previousExisted()).isFalse();
    assertThat(switched.enabledLinkCreated()).isTrue();
    assertThat(retried.previousExisted()).isFalse();
    assertThat(retried.enabledLinkCreated()).isTrue();
    assertThat(proxied).startsWith("new host=moved.cutover.test ");
    assertThat(written).isEqualTo(NginxSite.render(request));
    assertThat(restored.changed()).isTrue();
    assertThat(restored.exists()).isFalse();
    assertThat(newSite).doesNotExist();
    assertThat(Files.isSymbolicLink(link)).isFalse();
    try (var files = Files.list(old.sitesAvailable())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("app");
    }
  }

  @Test
  void aRestoreThatRemovedTheSiteButFailedBeforeItsReloadIsFinishedByTheNextOne()
      throws IOException {
    // given a switch created the site "moved" and its link on the old port, where there was none
    Path newSite = old.sitesAvailable().resolve("moved");
    Path link = old.sitesEnabled().resolve("moved");
    ProxySwitchResult switched =
        activities.switchToNew(
            new ProxySwitchRequest(
                "switch-moved",
                "old",
                Host.local("old"),
                newSite.toString(),
                link.toString(),
                List.of("moved.cutover.test"),
                List.of("127.0.0.1:" + oldPort),
                null,
                null,
                "http://127.0.0.1:" + newPort,
                null,
                null,
                old.testCommand(),
                old.reloadCommand(),
                false));
    old.awaitReloads(2);
    assertThat(get(oldPort, "moved.cutover.test")).startsWith("new host=moved.cutover.test ");
    // and an earlier undo removed the site and its link, then failed before its reload: only the
    // markers are left
    Files.delete(link);
    Files.delete(newSite);
    assertThat(siteFiles())
        .containsExactly(
            "app", "moved.cutover-switch-moved.absent", "moved.cutover-switch-moved.link");
    assertThat(get(oldPort, "moved.cutover.test"))
        .as("nginx still runs the switched configuration")
        .startsWith("new ");

    // when the undo runs again with the switch's result
    long reloads = old.reloadCount();
    ProxyRestoreResult restored = activities.restore(restoreRequest(switched));
    old.awaitReloads(reloads + 1);

    // then nginx was reloaded: the old port answers that name from the old site again; the markers
    // are gone,
    // and, having had nothing left to write, the undo says it changed nothing
    assertThat(old.reloadCount()).isGreaterThan(reloads);
    assertThat(get(oldPort, "moved.cutover.test")).isEqualTo("old\n");
    assertThat(siteFiles()).containsExactly("app");
    assertThat(restored.changed()).isFalse();
    assertThat(restored.exists()).isFalse();

    // and when it runs once more, with a reload command that would fail, it neither reloads nor
    // changes anything
    long before = old.reloadCount();
    ProxyRestoreResult again =
        activities.restore(
            new ProxyRestoreRequest(
                "switch-moved",
                "old",
                Host.local("old"),
                switched,
                old.testCommand(),
                "false",
                false,
                null,
                null));
    assertThat(again.changed()).isFalse();
    assertThat(again.exists()).isFalse();
    assertThat(old.reloadCount()).isEqualTo(before);
    assertThat(siteFiles()).containsExactly("app");
  }

  @Test
  void withoutTheSwitchsResultTheRestoreFindsTheBackupAndPutsTheOldSiteBack() throws IOException {
    // given the switch has run, but its result is not known to the undo
    activities.switchToNew(request(site, "http://127.0.0.1:" + newPort));
    old.awaitReloads(2);
    assertThat(get(oldPort, NAME)).startsWith("new ");

    // when the undo runs without it, twice
    long reloads = old.reloadCount();
    ProxyRestoreResult restored = activities.restore(restoreFromHost("switch-traffic", site, null));
    old.awaitReloads(reloads + 1);
    ProxyRestoreResult again = activities.restore(restoreFromHost("switch-traffic", site, null));

    // then the old site is back and served, its backup is gone, and the second undo did nothing
    assertThat(get(oldPort, NAME)).isEqualTo("old\n");
    assertThat(Files.readString(site)).isEqualTo(original);
    assertThat(restored.changed()).isTrue();
    assertThat(restored.exists()).isTrue();
    assertThat(restored.sha256())
        .isEqualTo(ProxySwitchActivitiesImpl.sha256(original.getBytes(StandardCharsets.UTF_8)));
    assertThat(again.changed()).isFalse();
    assertThat(siteFiles()).containsExactly("app");
  }

  @Test
  void aSwitchWhoseReloadFailedIsUndoneFromWhatItLeft() throws IOException {
    // given a switch that wrote the site and then could not reload nginx
    ProxySwitchRequest failing =
        new ProxySwitchRequest(
            "switch-traffic",
            "old",
            Host.local("old"),
            site.toString(),
            null,
            List.of(NAME),
            List.of("127.0.0.1:" + oldPort),
            null,
            null,
            "http://127.0.0.1:" + newPort,
            null,
            null,
            old.testCommand(),
            "false",
            false);
    catchThrowableOfType(ApplicationFailure.class, () -> activities.switchToNew(failing));
    assertThat(Files.readString(site)).startsWith("# written by cutover step switch-traffic\n");
    assertThat(Path.of(site + ".cutover-switch-traffic.orig")).hasContent(original);

    // when the undo runs without a result
    long reloads = old.reloadCount();
    ProxyRestoreResult restored = activities.restore(restoreFromHost("switch-traffic", site, null));
    old.awaitReloads(reloads + 1);

    // then the original file is back, served, and no trace of the switch is left
    assertThat(restored.changed()).isTrue();
    assertThat(Files.readString(site)).isEqualTo(original);
    assertThat(get(oldPort, NAME)).isEqualTo("old\n");
    assertThat(siteFiles()).containsExactly("app");
  }

  @Test
  void withoutAnyTraceOfTheSwitchTheRestoreChangesNothing() throws IOException {
    // given no switch ever ran: the site is the original, and a site it would have created is
    // absent
    long reloads = old.reloadCount();
    Path moved = old.sitesAvailable().resolve("moved");

    // when the undo runs without a result, for the existing site and for the absent one
    ProxyRestoreResult existing = activities.restore(restoreFromHost("switch-traffic", site, null));
    ProxyRestoreResult absent =
        activities.restore(
            restoreFromHost("switch-moved", moved, old.sitesEnabled().resolve("moved")));

    // then nothing changed and nginx was not reloaded
    assertThat(existing.changed()).isFalse();
    assertThat(existing.exists()).isTrue();
    assertThat(absent.changed()).isFalse();
    assertThat(absent.exists()).isFalse();
    assertThat(Files.readString(site)).isEqualTo(original);
    assertThat(siteFiles()).containsExactly("app");
    assertThat(old.sitesEnabled().resolve("moved")).doesNotExist();
    assertThat(old.reloadCount()).isEqualTo(reloads);
    assertThat(get(oldPort, NAME)).isEqualTo("old\n");
  }

  @Test
  void withoutTheSwitchsResultASiteItCreatedIsRemovedWithItsLink() throws IOException {
    // given a switch created the site "moved" and its link, where there was none
    Path newSite = old.sitesAvailable().resolve("moved");
    Path link = old.sitesEnabled().resolve("moved");
    int port = NginxTestServer.freePort();
    activities.switchToNew(
        new ProxySwitchRequest(
            "switch-moved",
            "old",
            Host.local("old"),
            newSite.toString(),
            link.toString(),
            List.of("moved.cutover.test"),
            List.of("127.0.0.1:" + port),
            null,
            null,
            "http://127.0.0.1:" + newPort,
            null,
            null,
            old.testCommand(),
            old.reloadCommand(),
            false));
    old.awaitReloads(2);
    assertThat(get(port, "moved.cutover.test")).startsWith("new ");

    // when the undo runs without a result
    long reloads = old.reloadCount();
    ProxyRestoreResult restored =
        activities.restore(restoreFromHost("switch-moved", newSite, link));
    old.awaitReloads(reloads + 1);

    // then the site, its link and the step's markers are gone
    assertThat(restored.changed()).isTrue();
    assertThat(restored.exists()).isFalse();
    assertThat(newSite).doesNotExist();
    assertThat(Files.isSymbolicLink(link)).isFalse();
    assertThat(siteFiles()).containsExactly("app");
  }

  @Test
  void withoutTheSwitchsResultASiteEditedSinceIsNotOverwritten() throws IOException {
    // given the switch has run, and then someone replaced the proxy site
    activities.switchToNew(request(site, "http://127.0.0.1:" + newPort));
    String edited = String.format(OLD_SITE, oldPort).replace("old", "edited");
    Files.writeString(site, edited);

    // when the undo runs without a result
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.restore(restoreFromHost("switch-traffic", site, null)));

    // then it stops for good as a conflict, keeping the edit and the backup
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(site + ".cutover-switch-traffic.orig");
    assertThat(Files.readString(site)).isEqualTo(edited);
    assertThat(Path.of(site + ".cutover-switch-traffic.orig")).hasContent(original);
  }

  @Test
  void aMissingTestProgramIsAMissingToolAndThePreviousSiteIsBack() throws IOException {
    // given a test command that does not exist on the host
    ProxySwitchRequest request =
        new ProxySwitchRequest(
            "switch-traffic",
            "old",
            Host.local("old"),
            site.toString(),
            null,
            List.of(NAME),
            List.of("127.0.0.1:" + oldPort),
            null,
            null,
            "http://127.0.0.1:" + newPort,
            null,
            null,
            "/nonexistent/nginx -t",
            old.reloadCommand(),
            false);

    // when the switch runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.switchToNew(request));

    // then it stops for good as a missing tool, with the original in place
    assertThat(failure.getType()).isEqualTo(CutoverErrors.MISSING_TOOL);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(Files.readString(site)).isEqualTo(original);
  }

  @Test
  void aTlsSiteProxiesToAnHttpsUpstreamSendingTheClientsNameAsSni() {
    // given a test CA, the new host serving www over TLS, and a certificate for www on the old host
    TestCertificates ca = TestCertificates.newCa(fresh.tlsDir(), "cutover test CA");
    TestCertificates.Pair newCert = ca.issue("www-new", List.of(NAME), 30);
    TestCertificates.Pair oldCert = ca.issue("www-old", List.of(NAME), 30);
    int newTls = NginxTestServer.freePort();
    fresh.enableSite(
        "tls",
        "server {\n  listen 127.0.0.1:"
            + newTls
            + " ssl;\n  server_name "
            + NAME
            + ";\n"
            + "  ssl_certificate "
            + newCert.certificate()
            + ";\n  ssl_certificate_key "
            + newCert.key()
            + ";\n"
            + "  location / { return 200 \"new tls sni=$ssl_server_name host=$host proto=$http_x_forwarded_proto\\n\"; }\n}\n");
    fresh.reload();
    int oldTls = NginxTestServer.freePort();
    ProxySwitchRequest request =
        new ProxySwitchRequest(
            "switch-traffic",
            "old",
            Host.local("old"),
            site.toString(),
            null,
            List.of(NAME),
            List.of("127.0.0.1:" + oldTls + " ssl"),
            oldCert.certificate().toString(),
            oldCert.key().toString(),
            "https://127.0.0.1:" + newTls,
            null,
            null,
            old.testCommand(),
            old.reloadCommand(),
            false);

    // when the switch runs
    long reloads = old.reloadCount();
    activities.switchToNew(request);
    old.awaitReloads(reloads + 1);

    // then an https check of the old host passes: its certificate is served for the name, and the
    // new host got the name as SNI and Host, and learned the client came over https
    HttpCheckActivitiesImpl checks =
        new HttpCheckActivitiesImpl(new SecretResolver(Map.of()), ca.trustStore());
    HttpCheckResult result =
        checks.http(
            new HttpCheckRequest(
                "check",
                "https://" + NAME + ":" + oldTls + "/",
                200,
                "^new tls sni="
                    + NAME.replace(".", "\\.")
                    + " host="
                    + NAME.replace(".", "\\.")
                    + " proto=https$",
                Map.of(NAME, "127.0.0.1"),
                Map.of(),
                Map.of(),
                false,
                null));
    assertThat(result.bodyMatched()).as(result.bodyExcerpt()).isTrue();
  }

  @Test
  void aLoginWithoutTheRightToWriteTheSiteIsPermissionDeniedAndNothingChanges() throws IOException {
    // given the host's login is an unprivileged user, without sudo
    ProxySwitchActivitiesImpl asNobody = new ProxySwitchActivitiesImpl(new AsUserShells("nobody"));

    // when the switch runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> asNobody.switchToNew(request(site, "http://127.0.0.1:" + newPort)));

    // then it stops for good, suggesting sudo, and the site is untouched
    assertThat(failure.getType()).isEqualTo(CutoverErrors.PERMISSION_DENIED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("Permission denied")
        .contains("set sudo on the step or the host");
    assertThat(Files.readString(site)).isEqualTo(original);
  }

  @Test
  void aSiteKeptAsAPlainFileInSitesEnabledIsSwitchedAndItsUndoPutsTheFileBackByteForByte()
      throws IOException {
    // given the old site is a plain file in sites-enabled (no link), with bytes an editor would
    // keep as they are
    Files.delete(old.sitesEnabled().resolve("app"));
    Path plain = old.sitesEnabled().resolve("shop");
    byte[] before =
        (String.format(OLD_SITE, oldPort) + "# caf\u00e9, CRLF next\r\n# no final line break")
            .getBytes(StandardCharsets.UTF_8);
    Files.write(plain, before);
    old.reload();
    assertThat(get(oldPort, NAME)).isEqualTo("old\n");

    // when the switch runs on that file
    ProxySwitchResult switched =
        activities.switchToNew(request(plain, "http://127.0.0.1:" + newPort));

    // then the old host proxies: the backup beside the file is hidden, so nginx did not load it (it
    // holds the same name and port and would sort first), and nothing else is in sites-enabled
    assertThat(get(oldPort, NAME)).startsWith("new ");
    assertThat(switched.backupPath())
        .isEqualTo(old.sitesEnabled().resolve(".shop.cutover-switch-traffic.orig").toString());
    assertThat(Files.readAllBytes(Path.of(switched.backupPath()))).isEqualTo(before);
    assertThat(enabledFiles()).containsExactly(".shop.cutover-switch-traffic.orig", "shop");

    // and when the undo runs
    ProxyRestoreResult restored = activities.restore(restoreRequest(switched));

    // then the plain file is back byte for byte, served again, and no trace of the switch is left
    assertThat(Files.readAllBytes(plain)).isEqualTo(before);
    assertThat(Files.isSymbolicLink(plain)).isFalse();
    assertThat(restored.changed()).isTrue();
    assertThat(get(oldPort, NAME)).isEqualTo("old\n");
    assertThat(enabledFiles()).containsExactly("shop");
  }

  @Test
  void aPlainFileSiteSwitchThatReturnedNothingIsUndoneFromWhatItLeft() throws IOException {
    // given a switch of a plain file in sites-enabled whose result was lost (an abort cut it short)
    Files.delete(old.sitesEnabled().resolve("app"));
    Path plain = old.sitesEnabled().resolve("shop");
    byte[] before = String.format(OLD_SITE, oldPort).getBytes(StandardCharsets.UTF_8);
    Files.write(plain, before);
    old.reload();
    activities.switchToNew(request(plain, "http://127.0.0.1:" + newPort));

    // when the undo runs from the host alone
    activities.restore(restoreFromHost("switch-traffic", plain, null));

    // then the file is back as it was and served
    assertThat(Files.readAllBytes(plain)).isEqualTo(before);
    assertThat(get(oldPort, NAME)).isEqualTo("old\n");
    assertThat(enabledFiles()).containsExactly("shop");
  }

  @Test
  void aLinkNameThatIsAPlainFileStopsTheSwitchNamingTheFieldsOfThePlan() throws IOException {
    // given the plan names a site in sites-available and, as enabledLink, what is really a plain
    // file
    Files.delete(old.sitesEnabled().resolve("app"));
    Path plain = old.sitesEnabled().resolve("app");
    Files.writeString(plain, original);
    ProxySwitchRequest request =
        new ProxySwitchRequest(
            "switch-traffic",
            "old",
            Host.local("old"),
            site.toString(),
            plain.toString(),
            List.of(NAME),
            List.of("127.0.0.1:" + oldPort),
            null,
            null,
            "http://127.0.0.1:" + newPort,
            null,
            null,
            old.testCommand(),
            old.reloadCommand(),
            false);

    // when the switch runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.switchToNew(request));

    // then it stops for good, telling to give that file as site, in the plan's words
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.getOriginalMessage())
        .contains("step switch-traffic on host old: enabledLink " + plain + " is a plain file")
        .contains("give it as site and leave out enabledLink")
        .doesNotContain("sitePath");
    assertThat(Files.readString(plain)).isEqualTo(original);
  }

  @Test
  void aSiteInADirectoryThatDoesNotExistStopsTheSwitchNamingTheStepHostFieldAndPath() {
    // given the plan names a site in a sites-available that this host does not have
    Path missing = old.dir().resolve("sites-avail/app");

    // when the switch runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.switchToNew(request(missing, "http://127.0.0.1:" + newPort)));

    // then it stops for good as bad configuration, saying where, and writes nothing
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step switch-traffic on host old: reading site " + missing + ": ")
        .contains(missing.getParent() + ": No such file or directory");
    assertThat(Files.exists(missing.getParent())).isFalse();
  }

  List<String> enabledFiles() throws IOException {
    try (var files = Files.list(old.sitesEnabled())) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  ProxySwitchRequest request(Path sitePath, String upstream) {
    return new ProxySwitchRequest(
        "switch-traffic",
        "old",
        Host.local("old"),
        sitePath.toString(),
        null,
        List.of(NAME),
        List.of("127.0.0.1:" + oldPort),
        null,
        null,
        upstream,
        null,
        Duration.ofSeconds(30),
        old.testCommand(),
        old.reloadCommand(),
        false);
  }

  ProxyRestoreRequest restoreRequest(ProxySwitchResult switched) {
    String step = switched.sitePath().endsWith("moved") ? "switch-moved" : "switch-traffic";
    return new ProxyRestoreRequest(
        step,
        "old",
        Host.local("old"),
        switched,
        old.testCommand(),
        old.reloadCommand(),
        false,
        null,
        null);
  }

  ProxyRestoreRequest restoreFromHost(String step, Path sitePath, Path enabledPath) {
    return new ProxyRestoreRequest(
        step,
        "old",
        Host.local("old"),
        null,
        old.testCommand(),
        old.reloadCommand(),
        false,
        sitePath.toString(),
        enabledPath == null ? null : enabledPath.toString());
  }

  List<String> siteFiles() throws IOException {
    try (var files = Files.list(old.sitesAvailable())) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /**
   * The body of {@code GET /} on 127.0.0.1 with this Host header, as a browser behind a proxy that
   * already set X-Forwarded-For would send it.
   */
  static String get(int port, String host) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET / HTTP/1.0\r\nHost: " + host + "\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int body = response.indexOf("\r\n\r\n");
      return body < 0 ? response : response.substring(body + 4);
    }
  }
}
