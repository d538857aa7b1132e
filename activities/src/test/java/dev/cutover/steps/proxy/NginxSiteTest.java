package dev.cutover.steps.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.plan.Host;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rendered server block, and the values refused before they reach it. */
class NginxSiteTest {
  @Test
  void aTlsSiteProxyingToAnHttpsUpstreamSendsTheUpstreamNameAsHostAndSni() {
    // given TLS listeners and an https upstream with its own name
    ProxySwitchRequest request =
        request(
            List.of("80", "443 ssl", "[::]:443 ssl"),
            "https://10.0.0.2:8443",
            "app.internal",
            Duration.ofMillis(90_000));

    // when it is rendered
    String site = NginxSite.render(request);

    // then every directive is there, in nginx's syntax
    assertThat(site)
        .isEqualTo(
            """
        # written by cutover step switch
        # the previous site is kept next to this file as *.cutover-switch.orig
        server {
            listen 80;
            listen 443 ssl;
            listen [::]:443 ssl;
            server_name www.example.com example.com;
            ssl_certificate /etc/ssl/app.crt;
            ssl_certificate_key /etc/ssl/private/app.key;

            location / {
                proxy_pass https://10.0.0.2:8443;
                proxy_set_header Host app.internal;
                proxy_set_header X-Real-IP $remote_addr;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                proxy_set_header X-Forwarded-Proto $scheme;
                proxy_ssl_server_name on;
                proxy_ssl_name app.internal;
                proxy_read_timeout 90s;
            }
        }
        """);
  }

  @Test
  void anHttpUpstreamKeepsTheClientsHostAndHasNoTlsDirectives() {
    ProxySwitchRequest request =
        new ProxySwitchRequest(
            "switch",
            "old",
            Host.local("old"),
            "/etc/nginx/sites-available/app",
            null,
            List.of("www.example.com"),
            List.of("80"),
            null,
            null,
            "http://10.0.0.2",
            null,
            Duration.ofMillis(1500),
            null,
            null,
            false);

    String site = NginxSite.render(request);

    assertThat(site)
        .contains("proxy_set_header Host $host;")
        .contains("proxy_read_timeout 1500ms;")
        .doesNotContain("ssl");
  }

  @Test
  void valuesThatCouldBreakOutOfTheirDirectiveAreRefused() {
    for (String bad :
        List.of("a;b", "a{", "a}", "a\"", "a'", "a\\b", "a#b", "$host", "a\nb", "a\rb")) {
      assertThatThrownBy(
              () -> NginxSite.render(request(List.of("80"), "http://" + bad, null, null)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("upstream");
      assertThatThrownBy(
              () -> NginxSite.render(request(List.of("80 " + bad), "http://10.0.0.2", null, null)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("listen");
      assertThatThrownBy(
              () -> NginxSite.render(request(List.of("80"), "http://10.0.0.2", bad, null)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("upstreamServerName");
    }
  }

  @Test
  void anSslListenerNeedsACertificateAndAnUpstreamNeedsAScheme() {
    ProxySwitchRequest noCert =
        new ProxySwitchRequest(
            "switch",
            "old",
            Host.local("old"),
            "/etc/nginx/sites-available/app",
            null,
            List.of(),
            List.of("443 ssl"),
            null,
            null,
            "http://10.0.0.2",
            null,
            null,
            null,
            null,
            false);
    assertThatThrownBy(() -> NginxSite.render(noCert)).hasMessageContaining("tlsCertificate");
    assertThatThrownBy(() -> NginxSite.render(request(List.of("80"), "10.0.0.2:80", null, null)))
        .hasMessageContaining("must start with http:// or https://");
    assertThatThrownBy(() -> NginxSite.render(request(List.of(), "http://10.0.0.2", null, null)))
        .hasMessageContaining("at least one listen");
  }

  static ProxySwitchRequest request(
      List<String> listen, String upstream, String upstreamName, Duration readTimeout) {
    return new ProxySwitchRequest(
        "switch",
        "old",
        Host.local("old"),
        "/etc/nginx/sites-available/app",
        null,
        List.of("www.example.com", "example.com"),
        listen,
        "/etc/ssl/app.crt",
        "/etc/ssl/private/app.key",
        upstream,
        upstreamName,
        readTimeout,
        null,
        null,
        false);
  }
}
