package dev.cutover.steps.http;

import dev.cutover.testing.NginxTestServer;
import dev.cutover.testing.TestCertificates;
import java.security.KeyStore;
import java.util.List;

/**
 * One real nginx on loopback serving what the checks look at: plain HTTP for www.cutover.test, and
 * on one TLS port a certificate per name chosen by SNI (www and api from a test CA, soon from the
 * CA but expiring in 5 days, self self-signed). None of the names resolve: checks reach them
 * through their {@code resolve} map or address.
 */
final class CheckSites implements AutoCloseable {
  static final String WWW = "www.cutover.test";
  static final String API = "api.cutover.test";
  static final String SOON = "soon.cutover.test";
  static final String SELF = "self.cutover.test";

  final NginxTestServer nginx;
  final TestCertificates ca;
  final int http;
  final int https;

  private CheckSites(NginxTestServer nginx, TestCertificates ca, int http, int https) {
    this.nginx = nginx;
    this.ca = ca;
    this.http = http;
    this.https = https;
  }

  static CheckSites start() {
    NginxTestServer nginx = NginxTestServer.start("checks");
    try {
      TestCertificates ca = TestCertificates.newCa(nginx.tlsDir(), "cutover test CA");
      TestCertificates.Pair www = ca.issue("www", List.of(WWW), 90);
      TestCertificates.Pair api = ca.issue("api", List.of(API), 90);
      TestCertificates.Pair soon = ca.issue("soon", List.of(SOON), 5);
      TestCertificates.Pair self =
          TestCertificates.selfSigned(nginx.tlsDir(), "self", List.of(SELF), 90);
      int http = NginxTestServer.freePort();
      int https = NginxTestServer.freePort();
      StringBuilder sites = new StringBuilder();
      sites
          .append("server {\n  listen 127.0.0.1:")
          .append(http)
          .append(";\n  server_name ")
          .append(WWW)
          .append(";\n")
          .append("  location = / { return 200 \"hello from new\\n\"; }\n")
          .append("  location = /down { return 503 \"down for maintenance\\n\"; }\n")
          .append("  location = /echo { return 200 \"token=$http_x_token\\n\"; }\n")
          .append("  location = /moved { return 302 /; }\n")
          .append("}\n");
      // The first TLS server is the default: a name nobody configured gets www's certificate.
      tlsServer(sites, https, WWW, www, "www over tls");
      tlsServer(sites, https, API, api, "api over tls");
      tlsServer(sites, https, SOON, soon, "soon over tls");
      tlsServer(sites, https, SELF, self, "self over tls");
      nginx.enableSite("checks", sites.toString());
      nginx.reload();
      return new CheckSites(nginx, ca, http, https);
    } catch (RuntimeException e) {
      nginx.close();
      throw e;
    }
  }

  KeyStore trust() {
    return ca.trustStore();
  }

  private static void tlsServer(
      StringBuilder sites, int port, String name, TestCertificates.Pair cert, String body) {
    sites
        .append("server {\n  listen 127.0.0.1:")
        .append(port)
        .append(" ssl;\n  server_name ")
        .append(name)
        .append(";\n")
        .append("  ssl_certificate ")
        .append(cert.certificate())
        .append(";\n")
        .append("  ssl_certificate_key ")
        .append(cert.key())
        .append(";\n")
        .append("  location / { return 200 \"")
        .append(body)
        .append("\\n\"; }\n}\n");
  }

  @Override
  public void close() {
    nginx.close();
  }
}
