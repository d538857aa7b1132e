package dev.cutover.steps.proxy;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The fields of a {@code proxy-switch} step: make the old host's nginx proxy to the new host. */
public record ProxySwitchSpec(
    @Doc("Name of the old host, whose nginx proxies (from hosts).") String host,
    @Doc("Write the site and reload nginx through `sudo -n` (default: the host's sudo).")
        Boolean sudo,
    @Doc("The host to proxy to (from hosts), when upstream is not given.") String to,
    @Doc(
            "The nginx site file on the host, like /etc/nginx/sites-available/app, or a plain file in sites-enabled; its content is kept and put back by the undo.")
        String site,
    @Doc(
            "The link in sites-enabled that must point to the site (created if missing); none for a site kept as a plain file in sites-enabled.")
        String enabledLink,
    @Doc("The server_name values the site answers.") List<String> serverNames,
    @Doc("The listen values, like 80 or \"443 ssl\" (default 80).") List<String> listen,
    @Doc("The certificate file on the host, for ssl listeners.") String certificate,
    @Doc("The certificate's key file on the host, for ssl listeners.") String certificateKey,
    @Doc("Where to proxy to, like https://10.0.0.2 (default http:// and the to host's address).")
        String upstream,
    @Doc(
            "The name sent to the upstream in the Host header and SNI (default: the client's Host header).")
        String upstreamHost,
    @Doc("The upstream read timeout (default nginx's).") Duration readTimeout,
    @Doc("The command that checks nginx's configuration (default nginx -t).") String testCommand,
    @Doc(
            "The command that reloads nginx (default systemctl reload nginx under systemd, else nginx -s reload).")
        String reloadCommand)
    implements StepSpec {
  /** Values that go into an nginx configuration: nothing that ends a directive or opens a block. */
  static final Pattern NGINX_VALUE =
      Pattern.compile("[^;{}\"'\\\\\\s#$`\\p{Cntrl}]+( [^;{}\"'\\\\\\s#$`\\p{Cntrl}]+)*");

  public ProxySwitchSpec {
    serverNames = serverNames == null ? List.of() : List.copyOf(serverNames);
    listen = listen == null ? List.of() : List.copyOf(listen);
  }

  @Override
  public List<String> hosts() {
    return StepSpec.between(host, to);
  }

  @Override
  public void validate(SpecCheck c) {
    c.hostRef("host", host);
    c.hostRef("to", to);
    c.require("host", host, "the old host, whose nginx proxies to the new one");
    c.require("site", site, "the nginx site file to replace, like /etc/nginx/sites-available/app");
    c.absolute("site", site);
    if (site != null && site.contains("/sites-enabled/") && enabledLink != null) {
      // A site kept as a plain file in sites-enabled is loaded as it is; a link to it would load it
      // twice.
      c.report(
          "enabledLink",
          "the site "
              + site
              + " is a plain file in sites-enabled, which nginx loads as it is: leave out enabledLink");
    }
    c.absolute("enabledLink", enabledLink);
    c.absolute("certificate", certificate);
    c.absolute("certificateKey", certificateKey);
    if (upstream == null && to == null) {
      c.report(
          null,
          "missing field 'upstream' or 'to': a proxy-switch step needs where to send the traffic, like upstream: https://10.0.0.2 or to: new");
    }
    if (upstream == null
        && to != null
        && c.plan().hosts().get(to) != null
        && c.plan().hosts().get(to).address() == null) {
      c.report("to", "host '" + to + "' has no address to proxy to; give it one, or give upstream");
    }
    if (upstream != null) {
      URI uri = c.url("upstream", upstream);
      if (uri != null && !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        c.report("upstream", "'" + upstream + "' must start with http:// or https://");
      }
      nginxValue(c, "upstream", upstream);
    }
    for (int i = 0; i < serverNames.size(); i++) {
      nginxValue(c, "serverNames[" + i + "]", serverNames.get(i));
    }
    boolean ssl = false;
    for (int i = 0; i < listen.size(); i++) {
      String value = listen.get(i);
      nginxValue(c, "listen[" + i + "]", value);
      ssl |= value != null && List.of(value.split(" ")).contains("ssl");
    }
    if (ssl && (certificate == null || certificateKey == null)) {
      c.report(null, "an ssl listener needs certificate and certificateKey (files on the host)");
    }
    nginxValue(c, "upstreamHost", upstreamHost);
    nginxValue(c, "certificate", certificate);
    nginxValue(c, "certificateKey", certificateKey);
    c.positive("readTimeout", readTimeout);
  }

  private static void nginxValue(SpecCheck c, String field, String value) {
    if (value != null && !NGINX_VALUE.matcher(value).matches()) {
      c.report(
          field,
          "'"
              + value
              + "' cannot go into an nginx configuration: no quotes, ';', '{', '}', '#', '$' or line breaks");
    }
  }
}
