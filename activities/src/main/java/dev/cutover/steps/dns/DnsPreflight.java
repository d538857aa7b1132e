package dev.cutover.steps.dns;

import dev.cutover.hosts.HostShells;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.preflight.PreflightDns;
import dev.cutover.secrets.SecretResolver;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Preflight for the DNS records a plan changes, changing nothing: each server serves the zone
 * authoritatively, the TSIG key may update the record (a signed update that changes nothing, see
 * {@link Rfc2136Records#checkUpdateRights}), and the record holds what the plan expects; for hosts
 * files, each file can be read and written and holds what the plan expects. Each check names the
 * server or the host.
 */
public class DnsPreflight {
  private final DnsProviders providers;

  public DnsPreflight(SecretResolver secrets, HostShells shells) {
    this(secrets, shells, DnsActivitiesImpl.QUERY_TIMEOUT);
  }

  DnsPreflight(SecretResolver secrets, HostShells shells, Duration queryTimeout) {
    this.providers = new DnsProviders(secrets, shells, queryTimeout);
  }

  /**
   * Checks every entry; {@code beat} is called after each. Checks shared by entries (a zone on a
   * server) run once.
   */
  public void check(List<PreflightDns> entries, Consumer<PreflightCheck> out, Runnable beat) {
    Set<String> done = new HashSet<>();
    for (PreflightDns entry : entries) {
      check(entry, out, done);
      beat.run();
    }
  }

  /** The checks of one entry. */
  public List<PreflightCheck> check(PreflightDns entry) {
    List<PreflightCheck> checks = new java.util.ArrayList<>();
    check(entry, checks::add, new HashSet<>());
    return checks;
  }

  private void check(PreflightDns entry, Consumer<PreflightCheck> out, Set<String> done) {
    String targetName = entry.target() == null ? "dns" : entry.target().name();
    DnsRecords records;
    String name;
    try {
      records = providers.records(entry.step(), entry.target());
      name = records.absoluteName(entry.name());
      DnsProviders.requireType(entry.step(), entry.type());
    } catch (ApplicationFailure f) {
      out.accept(
          new PreflightCheck(
              targetName, "dns entry for " + entry.step(), false, PreflightCheck.typed(f)));
      return;
    }
    String record = "dns record " + name + " " + entry.type() + " for " + entry.step();
    if (records instanceof Rfc2136Records rfc) {
      boolean primaryServed = false;
      for (String server : records.sources()) {
        boolean served = serves(records, server, targetName, out, done);
        primaryServed |= served && server.equals(records.sources().get(0));
      }
      if (!primaryServed) {
        return;
      }
      String primary = records.sources().get(0);
      DnsRrset current = recordCheck(records, entry, primary, name, record, out);
      if (current != null) {
        String keyCheck = "dns key " + rfc.keyName() + " for " + entry.step();
        try {
          rfc.checkUpdateRights(primary, name, entry.type(), current);
          out.accept(
              new PreflightCheck(
                  primary,
                  keyCheck,
                  true,
                  "may change " + name + " " + entry.type() + " in zone " + records.zone()));
        } catch (ApplicationFailure f) {
          out.accept(new PreflightCheck(primary, keyCheck, false, PreflightCheck.typed(f)));
        }
      }
    } else if (records instanceof HostsFileRecords hosts) {
      for (DnsHostsFile file : hosts.files()) {
        String check = "hosts file " + file.path();
        try {
          String problem = hosts.accessProblem(file);
          if (done.add(file.hostName() + "\n" + file.path() + "\n" + file.sudo())) {
            out.accept(
                new PreflightCheck(
                    file.hostName(),
                    check,
                    problem == null,
                    problem == null ? "readable and writable" : problem));
          }
          if (problem == null) {
            recordCheck(records, entry, file.hostName(), name, record, out);
          }
        } catch (ApplicationFailure f) {
          out.accept(new PreflightCheck(file.hostName(), check, false, PreflightCheck.typed(f)));
        }
      }
    }
  }

  private static boolean serves(
      DnsRecords records,
      String server,
      String targetName,
      Consumer<PreflightCheck> out,
      Set<String> done) {
    String check = "dns zone " + records.zone();
    try {
      records.checkServed(server);
      if (done.add(targetName + "\n" + server + "\n" + records.zone())) {
        out.accept(new PreflightCheck(server, check, true, "served authoritatively"));
      }
      return true;
    } catch (ApplicationFailure f) {
      if (done.add(targetName + "\n" + server + "\n" + records.zone())) {
        out.accept(new PreflightCheck(server, check, false, PreflightCheck.typed(f)));
      }
      return false;
    }
  }

  /**
   * Whether the record is as the step expects; returns what it holds, or null when it could not be
   * read.
   */
  private static DnsRrset recordCheck(
      DnsRecords records,
      PreflightDns entry,
      String source,
      String name,
      String check,
      Consumer<PreflightCheck> out) {
    DnsRrset current;
    List<String> expected;
    List<String> wanted;
    try {
      String where = "step " + entry.step() + ": " + name + " " + entry.type();
      expected = DnsValues.canonical(entry.type(), entry.expectedValues(), where);
      wanted = DnsValues.canonical(entry.type(), entry.newValues(), where);
      current = records.answer(source, name, entry.type());
    } catch (ApplicationFailure f) {
      out.accept(new PreflightCheck(source, check, false, PreflightCheck.typed(f)));
      return null;
    }
    boolean ok;
    String detail;
    if (wanted.isEmpty() && entry.expectedValues().isEmpty()) {
      ok = current.exists();
      detail = ok ? "holds " + current.describe() : "does not exist: a TTL change needs the record";
    } else {
      ok =
          expected.isEmpty()
              || current.values().equals(expected)
              || current.values().equals(wanted);
      detail =
          "holds "
              + current.describe()
              + (ok
                  ? ""
                  : "; the plan expects "
                      + String.join(", ", expected)
                      + (wanted.isEmpty() ? "" : " (or already " + String.join(", ", wanted) + ")")
                      + ": fix the plan's expectValue or the record");
    }
    out.accept(new PreflightCheck(source, check, ok, detail));
    return current;
  }
}
