package dev.cutover.plan.load;

import dev.cutover.plan.DnsProvider;
import dev.cutover.plan.DnsZone;
import dev.cutover.plan.Plan;
import dev.cutover.plan.PlanPatterns;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** Validation of the plan's dns entries (the steps that use them check their own fields). */
final class DnsZoneChecks {
  static final Pattern DNS_NAME = PlanPatterns.DNS_NAME;
  static final Pattern SERVER =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9_.-]+)(:[0-9]{1,5})?");
  static final List<String> TSIG_ALGORITHMS =
      List.of("hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512");

  private final Plan plan;
  private final BiConsumer<String, String> report;

  DnsZoneChecks(Plan plan, BiConsumer<String, String> report) {
    this.plan = plan;
    this.report = report;
  }

  /** Whether a step of the plan (or an undo) changes records through the entry. */
  private boolean updatesThrough(String entry) {
    return plan.phases().present().stream()
        .flatMap(p -> plan.phases().stepsWithNested(p).stream())
        .flatMap(
            s ->
                s.undo() == null
                    ? java.util.stream.Stream.of(s)
                    : java.util.stream.Stream.of(s, s.undo()))
        .anyMatch(s -> s.spec() != null && entry.equals(s.spec().changesRecordsOf()));
  }

  void checkZone(String name, DnsZone zone) {
    String path = "dns." + name;
    if (!PlanValidator.STEP_NAME.matcher(name).matches()) {
      report.accept(
          path,
          "'" + name + "' is not a valid dns entry name: use letters, digits, '.', '_' and '-'");
    }
    if (zone.provider() == null) {
      return;
    }
    if (zone.provider() == DnsProvider.RFC2136) {
      notFor(path, "rfc2136", "hosts", !zone.hosts().isEmpty());
      notFor(path, "rfc2136", "path", zone.path() != null);
      notFor(path, "rfc2136", "sudo", zone.sudo() != null);
      if (zone.zone() == null) {
        report.accept(
            path,
            "missing field 'zone': an rfc2136 entry needs the zone its records are in, like example.org");
      } else if (!DNS_NAME.matcher(zone.zone()).matches()) {
        report.accept(path + ".zone", "'" + zone.zone() + "' is not a DNS name");
      }
      for (int i = 0; i < zone.servers().size(); i++) {
        String server = zone.servers().get(i);
        if (server == null || !SERVER.matcher(server).matches() || !portInRange(server)) {
          report.accept(
              path + ".servers[" + i + "]",
              "'" + server + "' is not a server: give host, address or host:port");
        }
      }
      // Updates are always signed: an unsigned update would let anyone who reaches the server
      // change the zone.
      // An entry no step changes records through (dns-wait only reads) needs no key: someone else
      // changes them (seed 002).
      boolean updated = updatesThrough(name);
      if (zone.tsigKey() == null) {
        if (updated) {
          report.accept(
              path,
              "missing field 'tsigKey': updates are signed with TSIG; give the key's name as the server knows it");
        }
      } else if (!DNS_NAME.matcher(zone.tsigKey()).matches()) {
        report.accept(
            path + ".tsigKey",
            "'" + zone.tsigKey() + "' is not a TSIG key name (a DNS name, like cutover-key)");
      }
      if (zone.tsigSecret() == null) {
        if (updated || zone.tsigKey() != null) {
          report.accept(
              path,
              "missing field 'tsigSecret': name the secret (under secrets) that holds the TSIG key");
        }
      } else if (!plan.secrets().containsKey(zone.tsigSecret())) {
        report.accept(
            path + ".tsigSecret",
            "names no entry under secrets"
                + declared()
                + "; tsigSecret is a secret's name, and secrets maps the name to env:NAME or file:/path");
      }
      if (zone.tsigAlgorithm() != null
          && !TSIG_ALGORITHMS.contains(zone.tsigAlgorithm().toLowerCase(Locale.ROOT))) {
        report.accept(
            path + ".tsigAlgorithm",
            "'"
                + zone.tsigAlgorithm()
                + "' is not a TSIG algorithm cutover signs with; use one of "
                + String.join(", ", TSIG_ALGORITHMS));
      }
    } else {
      notFor(path, "hosts-file", "zone", zone.zone() != null);
      notFor(path, "hosts-file", "servers", !zone.servers().isEmpty());
      notFor(path, "hosts-file", "tsigKey", zone.tsigKey() != null);
      notFor(path, "hosts-file", "tsigAlgorithm", zone.tsigAlgorithm() != null);
      notFor(path, "hosts-file", "tsigSecret", zone.tsigSecret() != null);
      if (zone.hosts().isEmpty()) {
        report.accept(
            path,
            "missing field 'hosts': a hosts-file entry needs the hosts (from hosts) whose file it edits");
      }
      for (int i = 0; i < zone.hosts().size(); i++) {
        String host = zone.hosts().get(i);
        if (!plan.hosts().containsKey(host)) {
          report.accept(
              path + ".hosts[" + i + "]",
              "unknown host '"
                  + host
                  + "'; hosts in this plan: "
                  + String.join(", ", new TreeSet<>(plan.hosts().keySet())));
        }
      }
      if (zone.path() != null && !zone.path().startsWith("/")) {
        report.accept(path + ".path", "'" + zone.path() + "' must be an absolute path");
      }
    }
  }

  private void notFor(String path, String provider, String field, boolean set) {
    if (set) {
      report.accept(
          path + "." + field, "field '" + field + "' does not apply to a " + provider + " entry");
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
    return plan.secrets().isEmpty()
        ? " (the plan declares none)"
        : " (declared: " + String.join(", ", new TreeSet<>(plan.secrets().keySet())) + ")";
  }
}
