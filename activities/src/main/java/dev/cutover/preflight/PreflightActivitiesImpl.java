package dev.cutover.preflight;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.dns.DnsPreflight;
import dev.cutover.steps.pgswitch.PgBouncerHold;
import dev.cutover.steps.postgres.PgPreflight;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.steps.proxy.ProxyPreflight;
import dev.cutover.steps.rsync.RsyncCommand;
import dev.cutover.steps.rsync.RsyncOutput;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Checks every host before the first step: reachable with a verified key, tools present, sudo
 * working, room for each copy, and the host-to-host ssh hop that rsync takes; then every database
 * the plan uses ({@link PgPreflight}), every DNS record it changes ({@link DnsPreflight}) and every
 * nginx site it switches ({@link ProxyPreflight}). Reads only; changes nothing but a temporary
 * known_hosts file it removes again.
 */
public class PreflightActivitiesImpl implements PreflightActivities {
  /** Each check is a short command; a host that takes longer than this is not ready. */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(60);

  private final HostShells shells;
  private final PgPreflight databases;
  private final DnsPreflight dns;
  private final ProxyPreflight proxies;
  private final SecretResolver secrets;

  /** Databases and DNS keys are reached with secrets from the worker's own environment. */
  public PreflightActivitiesImpl(HostShells shells) {
    this(shells, new PgSessions(shells, new SecretResolver()));
  }

  /** TSIG secrets are resolved from the worker's own environment. */
  public PreflightActivitiesImpl(HostShells shells, PgSessions pgSessions) {
    this(shells, pgSessions, new SecretResolver());
  }

  /**
   * @param secrets resolves the TSIG secrets of the DNS records the plan changes
   */
  public PreflightActivitiesImpl(HostShells shells, PgSessions pgSessions, SecretResolver secrets) {
    this(shells, pgSessions, new DnsPreflight(secrets, shells), secrets);
  }

  PreflightActivitiesImpl(HostShells shells, PgSessions pgSessions, DnsPreflight dns) {
    this(shells, pgSessions, dns, new SecretResolver());
  }

  /**
   * @param secrets resolves the admin passwords of the PgBouncers pg-switch steps hold clients at
   */
  PreflightActivitiesImpl(
      HostShells shells, PgSessions pgSessions, DnsPreflight dns, SecretResolver secrets) {
    this.secrets = secrets;
    this.shells = shells;
    this.databases = new PgPreflight(pgSessions);
    this.dns = dns;
    this.proxies = new ProxyPreflight(shells);
  }

  @Override
  public PreflightReport check(PreflightRequest request) {
    var context = Activity.getExecutionContext();
    return checkAll(request, () -> context.heartbeat(null));
  }

  /** Every check; raises the non-retryable failure listing the failed ones. */
  PreflightReport checkAll(PreflightRequest request, Runnable beat) {
    PreflightReport report = inspect(request, beat);
    List<PreflightCheck> failed = report.failures();
    if (!failed.isEmpty()) {
      StringBuilder message =
          new StringBuilder(
              "preflight found "
                  + failed.size()
                  + " problem"
                  + (failed.size() == 1 ? "" : "s")
                  + ":");
      failed.forEach(c -> message.append("\n").append(c.line()));
      throw ApplicationFailure.newNonRetryableFailure(
          message.toString(), CutoverErrors.PREFLIGHT_FAILED, report);
    }
    return report;
  }

  /** Runs every check; {@code beat} is called between hosts. */
  PreflightReport inspect(PreflightRequest request, Runnable beat) {
    // A du over a large tree takes a while: the activity beats while each command runs too.
    ExecWatch watch =
        new ExecWatch() {
          @Override
          public void beat(long elapsedMillis, String lastLine) {
            beat.run();
          }
        };
    List<PreflightCheck> checks = new ArrayList<>();
    Map<String, Boolean> reachable = new HashMap<>();
    for (PreflightHost h : request.hosts()) {
      reachable.put(h.name(), checkHost(h, checks::add, watch));
      beat.run();
    }
    // Several copies often take the same hop (presync and final sync): try each hop once.
    java.util.Set<String> hops = new java.util.HashSet<>();
    for (PreflightCopy copy : request.copies()) {
      if (reachable.getOrDefault(copy.fromName(), false)
          && reachable.getOrDefault(copy.toName(), false)) {
        checkCopy(copy, checks::add, watch, hops);
      }
      beat.run();
    }
    databases.check(request.databases(), request.databaseCopies(), checks::add, watch);
    dns.check(request.dns(), checks::add, beat);
    proxies.check(
        request.proxies().stream()
            .filter(p -> reachable.getOrDefault(p.hostName(), false))
            .toList(),
        checks::add,
        beat);
    for (PreflightBouncer b : request.bouncers()) {
      if (reachable.getOrDefault(b.bouncer().host(), false)) {
        checkBouncer(b, checks::add);
      }
      beat.run();
    }
    checks.addAll(request.notes());
    return new PreflightReport(checks);
  }

  /** The PgBouncer a pg-switch holds clients at: what {@link PgBouncerHold#preflight} finds. */
  private void checkBouncer(PreflightBouncer b, Consumer<PreflightCheck> out) {
    String host = b.bouncer().host();
    String check = "pgbouncer " + b.bouncer().database() + " for " + b.step();
    String password;
    try {
      password = b.adminPasswordRef() == null ? null : secrets.resolve(b.adminPasswordRef());
    } catch (ApplicationFailure f) {
      out.accept(new PreflightCheck(host, check, false, PreflightCheck.typed(f)));
      return;
    }
    List<String> problems;
    try (PgBouncerHold hold =
        new PgBouncerHold(b.bouncer(), b.host(), password, shells, b.sudo())) {
      problems = hold.preflight();
    }
    if (problems.isEmpty()) {
      out.accept(
          new PreflightCheck(
              host,
              check,
              true,
              "admin login works, the entry is served and in "
                  + b.bouncer().config()
                  + ", which can be replaced"));
    }
    problems.forEach(p -> out.accept(new PreflightCheck(host, check, false, p)));
  }

  private boolean checkHost(PreflightHost h, Consumer<PreflightCheck> out, ExecWatch watch) {
    HostShell shell;
    ShellResult probe;
    StringBuilder script = new StringBuilder("echo reachable");
    for (String tool : h.tools()) {
      script
          .append("; if command -v ")
          .append(Sh.quote(tool))
          .append(" >/dev/null 2>&1; then echo 'tool ")
          .append(tool)
          .append(" ok'; else echo 'tool ")
          .append(tool)
          .append(" missing'; fi");
    }
    try {
      shell = shells.shell(h.name(), h.host());
      probe = shell.exec(ShellCommand.of(script.toString(), CHECK_TIMEOUT), watch);
    } catch (ApplicationFailure f) {
      out.accept(new PreflightCheck(h.name(), "reachable", false, PreflightCheck.typed(f)));
      return false;
    }
    if (!probe.stdout().startsWith("reachable")) {
      out.accept(
          new PreflightCheck(
              h.name(), "reachable", false, "a shell did not run: " + probe.lastLine()));
      return false;
    }
    out.accept(new PreflightCheck(h.name(), "reachable", true, where(h.host())));
    for (String line : probe.stdout().lines().skip(1).toList()) {
      String[] parts = line.split(" ");
      if (parts.length == 3 && parts[0].equals("tool")) {
        boolean ok = parts[2].equals("ok");
        out.accept(
            new PreflightCheck(
                h.name(),
                "tool " + parts[1],
                ok,
                ok ? "" : parts[1] + " is not installed or not on PATH"));
      }
    }
    if (h.sudo()) {
      ShellResult sudo = shell.exec(ShellCommand.of("true", CHECK_TIMEOUT).withSudo(true), watch);
      out.accept(
          new PreflightCheck(
              h.name(),
              "sudo",
              sudo.ok(),
              sudo.ok()
                  ? "sudo -n works"
                  : "sudo -n true failed (" + sudo.lastLine() + "); " + ShellFailures.SUDO_ADVICE));
    }
    return true;
  }

  private void checkCopy(
      PreflightCopy copy,
      Consumer<PreflightCheck> out,
      ExecWatch watch,
      java.util.Set<String> hops) {
    HostShell from = shells.shell(copy.fromName(), copy.from());
    HostShell to = shells.shell(copy.toName(), copy.to());
    // Sized as rsync will copy it: rsync itself reads the tree, with the step's excludes. Where
    // rsync
    // runs on the source it reads it through sudo when the step does; elsewhere, as the source's
    // login.
    ShellResult size =
        from.exec(
            ShellCommand.of(
                    RsyncCommand.local(copy.source(), "/").excludes(copy.excludes()).sizeScript(),
                    CHECK_TIMEOUT)
                .withSudo(copy.sudo() && !copy.runsOnTarget()),
            watch);
    long bytes = size.ok() ? RsyncOutput.totalFileSize(size.stdout()) : -1;
    if (bytes < 0) {
      out.accept(
          new PreflightCheck(
              copy.fromName(),
              "source of " + copy.step(),
              false,
              copy.source() + " cannot be read: " + size.lastLine()));
      return;
    }
    // The target may not exist yet: measure the filesystem of its nearest existing parent.
    ShellResult free =
        to.exec(
            ShellCommand.of(
                "p="
                    + Sh.quote(copy.target())
                    + "; while [ ! -e \"$p\" ]; do p=$(dirname -- \"$p\"); done; df -PB1 -- \"$p\" | awk 'NR==2 {print $4}'",
                CHECK_TIMEOUT),
            watch);
    try {
      long available = Long.parseLong(free.stdout().trim());
      boolean ok = available >= bytes;
      out.accept(
          new PreflightCheck(
              copy.toName(),
              "disk for " + copy.step(),
              ok,
              String.format(
                      java.util.Locale.ROOT,
                      "%,d bytes free for %s, the tree is %,d bytes",
                      available,
                      copy.target(),
                      bytes)
                  + (copy.excludes().isEmpty() ? "" : " without its excludes")
                  + (ok ? "" : "; free space on the target or choose another directory")));
    } catch (NumberFormatException e) {
      out.accept(
          new PreflightCheck(
              copy.toName(), "disk for " + copy.step(), false, "df failed: " + free.lastLine()));
    }
    if (copy.from().usesSsh()
        && copy.to().usesSsh()
        && hops.add(
            copy.fromName()
                + ">"
                + copy.toName()
                + ">"
                + copy.pull()
                + ">"
                + copy.identity()
                + ">"
                + copy.sudo())) {
      checkHop(copy, out, watch);
    }
  }

  /**
   * The host that runs rsync must log in to the other on its own, and find the key the worker
   * verified.
   */
  private void checkHop(PreflightCopy copy, Consumer<PreflightCheck> out, ExecWatch watch) {
    boolean onTarget = copy.runsOnTarget();
    String runnerName = onTarget ? copy.toName() : copy.fromName();
    Host runner = onTarget ? copy.to() : copy.from();
    String peerName = onTarget ? copy.fromName() : copy.toName();
    Host peer = onTarget ? copy.from() : copy.to();
    String knownHosts = shells.ssh().knownHostsLine(peerName, peer) + "\n";
    // The same login rsync's remote shell makes (same options, same user through sudo), into a
    // fresh private directory for the known_hosts line, removed again.
    String dir = "/tmp/cutover-preflight-" + java.util.UUID.randomUUID();
    RsyncCommand.Remote to =
        new RsyncCommand.Remote(
            peer.userOrDefault(),
            peer.address(),
            peer.portOrDefault(),
            copy.identity(),
            false,
            null);
    String script =
        "d="
            + Sh.quote(dir)
            + "; umask 077; mkdir -- \"$d\" || exit 1; trap 'rm -rf -- \"$d\"' EXIT\n"
            + "cat > \"$d/known_hosts\" || exit 1\n"
            + RsyncCommand.push("/", to, "/").knownHostsFile(dir + "/known_hosts").sshCheckScript();
    ShellResult hop =
        shells
            .shell(runnerName, runner)
            .exec(
                ShellCommand.of(script, CHECK_TIMEOUT)
                    .withSudo(copy.sudo())
                    .withStdin(knownHosts.getBytes(StandardCharsets.UTF_8)),
                watch);
    String check = "ssh " + runnerName + " -> " + peerName;
    if (hop.ok()) {
      out.accept(new PreflightCheck(runnerName, check, true, "as " + copy.step() + " will"));
    } else {
      out.accept(
          new PreflightCheck(
              runnerName,
              check,
              false,
              "for "
                  + copy.step()
                  + ": "
                  + hop.lastLine()
                  + "; authorize a key of "
                  + (copy.sudo() ? "root" : runner.userOrDefault())
                  + "@"
                  + runnerName
                  + (copy.identity() == null ? "" : " (" + copy.identity() + ")")
                  + " for "
                  + peer.userOrDefault()
                  + " on "
                  + peerName));
    }
  }

  private static String where(Host host) {
    return host != null && host.usesSsh()
        ? "ssh " + host.userOrDefault() + "@" + host.address() + ":" + host.portOrDefault()
        : "local";
  }
}
