package dev.cutover.steps.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.Host;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.testing.NginxTestServer;
import dev.cutover.testing.RealTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Preflight of proxy-switch steps against a real nginx: what the switch needs, proved before
 * anything changes.
 */
@RealTools
class ProxyPreflightTest {
  static final String SITE =
      "server {\n  listen 127.0.0.1:%d;\n  server_name www.cutover.test;\n  location / { return 200 \"old\\n\"; }\n}\n";

  NginxTestServer nginx;
  int port;
  final ProxyPreflight preflight =
      new ProxyPreflight(new HostShells(new NoSshTransport(), Set.of()));

  @BeforeEach
  void start() {
    NginxTestServer.requireInstalled();
    nginx = NginxTestServer.start("old");
    port = NginxTestServer.freePort();
  }

  @AfterEach
  void stop() {
    if (nginx != null) {
      nginx.close();
    }
  }

  @Test
  void aPlainFileInSitesEnabledAndALinkedSiteAreReady() throws IOException {
    // given a site kept as a plain file in sites-enabled, and another kept in sites-available with
    // its link
    Path plain = nginx.sitesEnabled().resolve("shop");
    Files.writeString(plain, String.format(SITE, port));
    Path linked =
        nginx.enableSite(
            "app", String.format(SITE, NginxTestServer.freePort()).replace("www.", "app."));

    // when preflight checks both switches
    List<PreflightCheck> checks =
        check(
            request("to-new", plain, null),
            request("app-to-new", linked, nginx.sitesEnabled().resolve("app")));

    // then every check passed: the files, the link and the configuration test
    assertThat(checks).allMatch(PreflightCheck::ok);
    assertThat(checks)
        .extracting(PreflightCheck::check)
        .containsExactly(
            "nginx site for to-new",
            "nginx -t for to-new",
            "nginx site for app-to-new",
            "nginx link for app-to-new",
            "nginx -t for app-to-new");
    assertThat(checks.get(0).detail()).contains(plain + " is a readable file of");
    assertThat(checks.get(3).detail())
        .isEqualTo(nginx.sitesEnabled().resolve("app") + " points to " + linked);
  }

  @Test
  void whatWouldFailAfterThePointOfNoReturnFailsHereNamingStepHostPathAndField()
      throws IOException {
    // given the plan names a site in a sites-available that does not exist and, as enabledLink,
    // what is
    // really a plain file in sites-enabled; and the configuration does not pass nginx -t
    Path plain = nginx.sitesEnabled().resolve("shop");
    Files.writeString(plain, String.format(SITE, port));
    Path missing = nginx.dir().resolve("sites-avail/shop");
    Files.writeString(
        nginx.sitesEnabled().resolve("broken"),
        "server { listen 127.0.0.1:" + port + "; unknown_directive on; }\n");

    // when preflight checks the switch
    List<PreflightCheck> checks = check(request("to-new", missing, plain));

    // then each problem is its own line, naming the step, host, path and field, and what to do
    assertThat(checks).noneMatch(PreflightCheck::ok);
    assertThat(checks).extracting(PreflightCheck::host).containsOnly("old");
    assertThat(checks.get(0).detail())
        .isEqualTo(
            "step to-new on host old: site "
                + missing
                + ": its directory "
                + missing.getParent()
                + " does not exist; create it, or fix the step's site (a site kept as a plain file in sites-enabled is given as site, without enabledLink)");
    assertThat(checks.get(1).detail())
        .isEqualTo(
            "step to-new on host old: enabledLink "
                + plain
                + " is a plain file, not a link to the site "
                + missing
                + "; if it is the site nginx loads, give it as site and leave out enabledLink");
    assertThat(checks.get(2).check()).isEqualTo("nginx -t for to-new");
    assertThat(checks.get(2).detail())
        .startsWith(
            "step to-new on host old: testCommand "
                + nginx.testCommand()
                + " fails before anything changed")
        .contains("unknown directive \"unknown_directive\"");
  }

  @Test
  void aLinkToAnotherSiteAndASiteThatIsADirectoryAreRefused() throws IOException {
    // given the link points to another file, and the site is a directory
    Path other = nginx.enableSite("other", String.format(SITE, port));
    Path site = nginx.sitesAvailable().resolve("shop");
    Files.createDirectories(site);
    Path link = nginx.sitesEnabled().resolve("shop");
    Files.createSymbolicLink(link, other);

    // when preflight checks the switch
    List<PreflightCheck> checks = check(request("to-new", site, link));

    // then the site and the link fail, and the configuration test still passes
    assertThat(checks).extracting(PreflightCheck::ok).containsExactly(false, false, true);
    assertThat(checks.get(0).detail())
        .isEqualTo(
            "step to-new on host old: site "
                + site
                + " exists and is not a regular file; the site is a file");
    assertThat(checks.get(1).detail())
        .startsWith(
            "step to-new on host old: enabledLink "
                + link
                + " links to "
                + other
                + ", not to the site "
                + site);
  }

  @Test
  void aLoginThatCannotWriteTheDirectoriesIsToldToUseSudoBeforeAnythingChanges()
      throws IOException {
    // given the host's login is an unprivileged user without sudo, and the link does not exist yet
    Path site = nginx.sitesAvailable().resolve("shop");
    Files.writeString(site, String.format(SITE, port));
    ProxyPreflight asNobody = new ProxyPreflight(new AsUserShells("nobody"));

    // when preflight checks the switch
    List<PreflightCheck> checks = new ArrayList<>();
    asNobody.check(
        List.of(request("to-new", site, nginx.sitesEnabled().resolve("shop"))),
        checks::add,
        () -> {});

    // then the site's and the link's directories are refused, each saying to set sudo
    assertThat(checks.get(0).ok()).isFalse();
    assertThat(checks.get(0).detail())
        .isEqualTo(
            "step to-new on host old: site "
                + site
                + ": its directory "
                + site.getParent()
                + " cannot be written by this login, and the previous site is kept there; set sudo on the step or the host");
    assertThat(checks.get(1).ok()).isFalse();
    assertThat(checks.get(1).detail())
        .isEqualTo(
            "step to-new on host old: enabledLink "
                + nginx.sitesEnabled().resolve("shop")
                + " does not exist yet, and its directory "
                + nginx.sitesEnabled()
                + " cannot be written by this login; set sudo on the step or the host");
  }

  List<PreflightCheck> check(ProxySwitchRequest... requests) {
    List<PreflightCheck> checks = new ArrayList<>();
    preflight.check(List.of(requests), checks::add, () -> {});
    return checks;
  }

  ProxySwitchRequest request(String step, Path site, Path link) {
    return new ProxySwitchRequest(
        step,
        "old",
        Host.local("old"),
        site.toString(),
        link == null ? null : link.toString(),
        List.of("www.cutover.test"),
        List.of("127.0.0.1:" + port),
        null,
        null,
        "http://127.0.0.1:1",
        null,
        null,
        nginx.testCommand(),
        nginx.reloadCommand(),
        false);
  }
}
