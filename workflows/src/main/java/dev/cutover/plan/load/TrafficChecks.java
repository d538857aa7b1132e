package dev.cutover.plan.load;

import dev.cutover.plan.DnsProvider;
import dev.cutover.plan.DnsZone;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.http.HeaderValues;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Validation of the plan's dns entries and of the steps that move traffic: dns-ttl, dns-set, proxy-switch, http, tls. */
public final class TrafficChecks {
  static final Pattern DNS_NAME = Pattern.compile("(?=.{1,253}\\.?$)([A-Za-z0-9_*]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
  static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");
  static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  static final Pattern SERVER = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+)(:[0-9]{1,5})?");
  static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
  /** Values that go into an nginx configuration: nothing that ends a directive or opens a block. */
  static final Pattern NGINX_VALUE = Pattern.compile("[^;{}\"'\\\\\\s#$`\\p{Cntrl}]+( [^;{}\"'\\\\\\s#$`\\p{Cntrl}]+)*");
  /** The name of the step the finish phase restores a dns-ttl step's TTL as: the step's name and this. */
  public static final String RESTORE_SUFFIX = "-restore";
  static final List<String> TSIG_ALGORITHMS = List.of("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512");

  private final Plan plan;
  private final BiConsumer<String, String> report;

  TrafficChecks(Plan plan, BiConsumer<String, String> report) {
    this.plan = plan;
    this.report = report;
  }

  void checkZone(String name, DnsZone zone) {
    String path = "dns." + name;
    if (!PlanValidator.STEP_NAME.matcher(name).matches()) {
      report.accept(path, "'" + name + "' is not a valid dns entry name: use letters, digits, '.', '_' and '-'");
    }
    if (zone.provider() == null) {
      return;
    }
    if (zone.provider() == DnsProvider.RFC2136) {
      notFor(path, "rfc2136", "hosts", !zone.hosts().isEmpty());
      notFor(path, "rfc2136", "path", zone.path() != null);
      notFor(path, "rfc2136", "sudo", zone.sudo() != null);
      if (zone.zone() == null) {
        report.accept(path, "missing field 'zone': an rfc2136 entry needs the zone its records are in, like example.org");
      } else if (!DNS_NAME.matcher(zone.zone()).matches()) {
        report.accept(path + ".zone", "'" + zone.zone() + "' is not a DNS name");
      }
      for (int i = 0; i < zone.servers().size(); i++) {
        String server = zone.servers().get(i);
        if (server == null || !SERVER.matcher(server).matches() || !portInRange(server)) {
          report.accept(path + ".servers[" + i + "]", "'" + server + "' is not a server: give host, address or host:port");
        }
      }
      // Updates are always signed: an unsigned update would let anyone who reaches the server change the zone.
      if (zone.tsigKey() == null) {
        report.accept(path, "missing field 'tsigKey': updates are signed with TSIG; give the key's name as the server knows it");
      } else if (!DNS_NAME.matcher(zone.tsigKey()).matches()) {
        report.accept(path + ".tsigKey", "'" + zone.tsigKey() + "' is not a TSIG key name (a DNS name, like cutover-key)");
      }
      if (zone.tsigSecret() == null) {
        report.accept(path, "missing field 'tsigSecret': name the secret (under secrets) that holds the TSIG key");
      } else if (!plan.secrets().containsKey(zone.tsigSecret())) {
        report.accept(path + ".tsigSecret", "names no entry under secrets" + declared()
            + "; tsigSecret is a secret's name, and secrets maps the name to env:NAME or file:/path");
      }
      if (zone.tsigAlgorithm() != null && !TSIG_ALGORITHMS.contains(zone.tsigAlgorithm().toLowerCase(Locale.ROOT))) {
        report.accept(path + ".tsigAlgorithm", "'" + zone.tsigAlgorithm() + "' is not a TSIG algorithm cutover signs with; use one of "
            + String.join(", ", TSIG_ALGORITHMS));
      }
    } else {
      notFor(path, "hosts-file", "zone", zone.zone() != null);
      notFor(path, "hosts-file", "servers", !zone.servers().isEmpty());
      notFor(path, "hosts-file", "tsigKey", zone.tsigKey() != null);
      notFor(path, "hosts-file", "tsigAlgorithm", zone.tsigAlgorithm() != null);
      notFor(path, "hosts-file", "tsigSecret", zone.tsigSecret() != null);
      if (zone.hosts().isEmpty()) {
        report.accept(path, "missing field 'hosts': a hosts-file entry needs the hosts (from hosts) whose file it edits");
      }
      for (int i = 0; i < zone.hosts().size(); i++) {
        String host = zone.hosts().get(i);
        if (!plan.hosts().containsKey(host)) {
          report.accept(path + ".hosts[" + i + "]", "unknown host '" + host + "'; hosts in this plan: " + String.join(", ", new TreeSet<>(plan.hosts().keySet())));
        }
      }
      if (zone.path() != null && !zone.path().startsWith("/")) {
        report.accept(path + ".path", "'" + zone.path() + "' must be an absolute path");
      }
    }
  }

  void checkDnsStep(Step step, String path) {
    require(step, path, "dns", step.dns(), "the dns entry (from dns) that holds the record");
    require(step, path, "record", step.record(), "the record's name, like www");
    DnsZone zone = step.dns() == null ? null : plan.dns().get(step.dns());
    if (step.dns() != null && zone == null) {
      report.accept(path + ".dns", "unknown dns entry '" + step.dns() + "'; " + (plan.dns().isEmpty() ? "this plan declares no dns entries"
          : "dns entries in this plan: " + String.join(", ", new TreeSet<>(plan.dns().keySet()))));
    }
    if (step.record() != null && !"@".equals(step.record()) && !DNS_NAME.matcher(step.record()).matches()) {
      report.accept(path + ".record", "'" + step.record() + "' is not a DNS name");
    }
    DnsRecordType type = typeOf(step);
    checkPositive(path + ".interval", step.interval());
    if (step.kind() == StepKind.DNS_TTL) {
      require(step, path, "ttl", step.ttl(), "the TTL to set, like 60s");
      checkTtl(path + ".ttl", step.ttl());
      if (zone != null && zone.provider() == DnsProvider.HOSTS_FILE) {
        report.accept(path + ".dns", "dns entry '" + step.dns() + "' is a hosts file, which has no TTL; dns-ttl needs an rfc2136 entry");
      }
      if (step.name() != null && plan.phases().present().stream().flatMap(p -> plan.phases().steps(p).stream())
          .anyMatch(other -> (step.name() + RESTORE_SUFFIX).equals(other.name()))) {
        report.accept(path + ".name", "the finish phase restores this TTL as step '" + step.name() + RESTORE_SUFFIX
            + "'; another step has that name, rename one of them");
      }
      if (!plan.phases().has(PhaseName.FINISH)) {
        report.accept(path, "dns-ttl lowers a TTL that the finish phase puts back; add a finish phase (its steps may be empty)");
      }
    } else {
      require(step, path, "value", step.value(), "the record's new value");
      checkValue(path + ".value", type, step.value());
      checkValue(path + ".expectValue", type, step.expectValue());
      checkTtl(path + ".ttl", step.ttl());
      if (zone != null && zone.provider() == DnsProvider.HOSTS_FILE && type == DnsRecordType.CNAME) {
        report.accept(path + ".type", "a hosts file maps names to addresses; CNAME needs an rfc2136 entry");
      }
    }
  }

  void checkProxySwitch(Step step, String path) {
    require(step, path, "host", step.host(), "the old host, whose nginx proxies to the new one");
    require(step, path, "site", step.site(), "the nginx site file to replace, like /etc/nginx/sites-available/app");
    absolute(path + ".site", step.site());
    if (step.site() != null && step.site().contains("/sites-enabled/") && step.enabledLink() != null) {
      // A site kept as a plain file in sites-enabled is loaded as it is; a link to it would load it twice.
      report.accept(path + ".enabledLink", "the site " + step.site() + " is a plain file in sites-enabled, which nginx loads as it is: "
          + "leave out enabledLink");
    }
    absolute(path + ".enabledLink", step.enabledLink());
    absolute(path + ".certificate", step.certificate());
    absolute(path + ".certificateKey", step.certificateKey());
    if (step.upstream() == null && step.to() == null) {
      report.accept(path, "missing field 'upstream' or 'to': a proxy-switch step needs where to send the traffic, like upstream: https://10.0.0.2 or to: new");
    }
    if (step.upstream() == null && step.to() != null && plan.hosts().get(step.to()) != null && plan.hosts().get(step.to()).address() == null) {
      report.accept(path + ".to", "host '" + step.to() + "' has no address to proxy to; give it one, or give upstream");
    }
    if (step.upstream() != null) {
      URI uri = uri(path + ".upstream", step.upstream());
      if (uri != null && !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        report.accept(path + ".upstream", "'" + step.upstream() + "' must start with http:// or https://");
      }
      nginxValue(path + ".upstream", step.upstream());
    }
    for (int i = 0; i < step.serverNames().size(); i++) {
      nginxValue(path + ".serverNames[" + i + "]", step.serverNames().get(i));
    }
    boolean ssl = false;
    for (int i = 0; i < step.listen().size(); i++) {
      String listen = step.listen().get(i);
      nginxValue(path + ".listen[" + i + "]", listen);
      ssl |= listen != null && List.of(listen.split(" ")).contains("ssl");
    }
    if (ssl && (step.certificate() == null || step.certificateKey() == null)) {
      report.accept(path, "an ssl listener needs certificate and certificateKey (files on the host)");
    }
    nginxValue(path + ".upstreamHost", step.upstreamHost());
    nginxValue(path + ".certificate", step.certificate());
    nginxValue(path + ".certificateKey", step.certificateKey());
    checkPositive(path + ".readTimeout", step.readTimeout());
  }

  void checkHttp(Step step, String path) {
    require(step, path, "url", step.url(), "the URL to request");
    URI uri = step.url() == null ? null : uri(path + ".url", step.url());
    if (uri != null && !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      report.accept(path + ".url", "'" + step.url() + "' must start with http:// or https://");
    }
    if (step.expectStatus() != null && (step.expectStatus() < 100 || step.expectStatus() > 599)) {
      report.accept(path + ".expectStatus", step.expectStatus() + " is not an HTTP status (100-599)");
    }
    if (step.expectBody() != null) {
      try {
        Pattern.compile(step.expectBody());
      } catch (PatternSyntaxException e) {
        report.accept(path + ".expectBody", "not a regular expression: " + e.getDescription());
      }
    }
    step.headers().forEach((h, value) -> {
      header(path + ".headers." + h, h);
      int bad = HeaderValues.firstForbidden(value);
      if (bad >= 0) {
        report.accept(path + ".headers." + h, "the value holds " + HeaderValues.describe(value.charAt(bad))
            + " at character " + (bad + 1) + ": a header value is one line without control characters");
      }
    });
    step.secretHeaders().forEach((h, secret) -> {
      header(path + ".secretHeaders." + h, h);
      if (!plan.secrets().containsKey(secret)) {
        report.accept(path + ".secretHeaders." + h, "names no entry under secrets" + declared()
            + "; secretHeaders maps a header to a secret's name, and secrets maps the name to env:NAME or file:/path");
      }
    });
    checkResolve(path, step.resolve());
    checkPositive(path + ".readTimeout", step.readTimeout());
    if (!step.secretHeaders().isEmpty() && Boolean.TRUE.equals(step.followRedirects())) {
      // A redirect is sent with the same headers, to whatever host it names.
      report.accept(path + ".followRedirects", "an http step with secretHeaders does not follow redirects: the secret would go to whatever host a redirect names");
    }
  }

  void checkTls(Step step, String path) {
    require(step, path, "url", step.url(), "the URL whose host and port serve the certificate, like https://www.example.org");
    URI uri = step.url() == null ? null : uri(path + ".url", step.url());
    if (uri != null && uri.getHost() == null) {
      report.accept(path + ".url", "'" + step.url() + "' names no host");
    }
    if (step.validDays() != null && step.validDays() < 0) {
      report.accept(path + ".validDays", "must be 0 or more");
    }
    checkResolve(path, step.resolve());
  }

  /** A value for the resolve map: a plan host (its address is used) or an address. */
  private void checkResolve(String path, Map<String, String> resolve) {
    resolve.forEach((name, target) -> {
      if (!DNS_NAME.matcher(name).matches()) {
        report.accept(path + ".resolve." + name, "'" + name + "' is not a host name");
      }
      if (target == null || !(plan.hosts().containsKey(target) || IPV4.matcher(target).matches() || IPV6.matcher(target).matches())) {
        report.accept(path + ".resolve." + name, "'" + target + "' is neither a host of this plan nor an IP address");
      } else if (plan.hosts().containsKey(target) && plan.hosts().get(target).address() == null) {
        report.accept(path + ".resolve." + name, "host '" + target + "' has no address to send the request to; give it one");
      }
    });
  }

  static DnsRecordType typeOf(Step step) {
    return step.type() == null ? DnsRecordType.A : step.type();
  }

  private void checkValue(String path, DnsRecordType type, String value) {
    if (value == null) {
      return;
    }
    boolean ok = switch (type) {
      case A -> IPV4.matcher(value).matches();
      case AAAA -> IPV6.matcher(value).matches();
      case CNAME -> DNS_NAME.matcher(value).matches();
    };
    if (!ok) {
      report.accept(path, "'" + value + "' is not " + switch (type) {
        case A -> "an IPv4 address";
        case AAAA -> "an IPv6 address";
        case CNAME -> "a DNS name";
      } + " (the record's type is " + type + ")");
    }
  }

  private void checkTtl(String path, Duration ttl) {
    if (ttl != null && (ttl.isNegative() || ttl.toSeconds() < 1 || ttl.toSeconds() > Integer.MAX_VALUE || ttl.toMillis() % 1000 != 0)) {
      report.accept(path, "a TTL is a whole number of seconds, at least 1s");
    }
  }

  private void checkPositive(String path, Duration d) {
    if (d != null && (d.isZero() || d.isNegative())) {
      report.accept(path, "must be longer than zero");
    }
  }

  private void header(String path, String name) {
    if (!HEADER_NAME.matcher(name).matches()) {
      report.accept(path, "'" + name + "' is not an HTTP header name");
    }
  }

  private void nginxValue(String path, String value) {
    if (value != null && !NGINX_VALUE.matcher(value).matches()) {
      report.accept(path, "'" + value + "' cannot go into an nginx configuration: no quotes, ';', '{', '}', '#', '$' or line breaks");
    }
  }

  private void absolute(String path, String value) {
    if (value != null && !value.startsWith("/")) {
      report.accept(path, "'" + value + "' must be an absolute path");
    }
  }

  private URI uri(String path, String value) {
    try {
      URI uri = new URI(value);
      if (uri.getHost() == null) {
        report.accept(path, "'" + value + "' is not a URL with a host, like https://www.example.org/health");
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      report.accept(path, "'" + value + "' is not a URL: " + e.getReason());
      return null;
    }
  }

  private void require(Step step, String path, String field, Object value, String why) {
    if (value == null || (value instanceof String text && text.isBlank())) {
      report.accept(path, "missing field '" + field + "': a " + step.kind().yamlName() + " step needs " + why);
    }
  }

  private void notFor(String path, String provider, String field, boolean set) {
    if (set) {
      report.accept(path + "." + field, "field '" + field + "' does not apply to a " + provider + " entry");
    }
  }

  private static boolean portInRange(String server) {
    int colon = server.lastIndexOf(':');
    if (colon < 0 || server.endsWith("]")) {
      return true;
    }
    int port = Integer.parseInt(server.substring(colon + 1));
    return port >= 1 && port <= 65535;
  }

  private String declared() {
    return plan.secrets().isEmpty() ? " (the plan declares none)" : " (declared: " + String.join(", ", new TreeSet<>(plan.secrets().keySet())) + ")";
  }
}
