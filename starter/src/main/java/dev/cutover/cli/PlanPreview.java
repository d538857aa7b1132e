package dev.cutover.cli;

import static dev.cutover.plan.load.DurationText.format;

import dev.cutover.cli.report.TerminalText;
import dev.cutover.plan.Email;
import dev.cutover.plan.Gate;
import dev.cutover.plan.Host;
import dev.cutover.plan.NotificationEvent;
import dev.cutover.plan.Notifications;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import dev.cutover.steps.postgres.PgReplicateStep;
import dev.cutover.steps.rsync.RsyncRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The plan as the workflow will walk it, for a person to read before starting. Whatever the plan
 * holds goes through {@link TerminalText}: a plan from someone else cannot drive the terminal.
 */
final class PlanPreview {
  private PlanPreview() {}

  static String render(Plan plan) {
    StringBuilder out = new StringBuilder();
    out.append("Migration ").append(plan.migration()).append('\n');
    if (plan.description() != null) {
      out.append("  ").append(TerminalText.block(plan.description().strip()).replace("\n", "\n  ")).append('\n');
    }
    out.append("Hosts:\n");
    plan.hosts().forEach((name, h) -> out.append("  ").append(name).append(": ").append(describe(h)).append('\n'));
    if (!plan.databases().isEmpty()) {
      out.append("Databases:\n");
      plan.databases().forEach((name, d) -> out.append("  ").append(name).append(": ").append(d.name()).append(" as ")
          .append(d.userOrDefault()).append(" on ").append(d.host()).append(d.port() == null ? "" : ":" + d.port())
          .append(d.accessOrDefault() == dev.cutover.plan.DatabaseAccess.HOST_TOOLS ? " (psql and pg_dump on the host)" : " (JDBC from the worker)")
          .append(d.passwordSecret() == null ? "" : ", password from secret " + d.passwordSecret()).append('\n'));
    }
    if (!plan.dns().isEmpty()) {
      out.append("DNS:\n");
      plan.dns().forEach((name, z) -> out.append("  ").append(name).append(": ").append(z.provider() == dev.cutover.plan.DnsProvider.RFC2136
          ? "zone " + z.zone() + " by RFC 2136 updates signed with key " + z.tsigKey() + " (secret " + z.tsigSecret() + ")"
              + (z.servers().isEmpty() ? ", servers from SOA and NS" : " on " + String.join(", ", z.servers()))
          : "hosts file " + (z.path() == null ? dev.cutover.plan.DnsZone.DEFAULT_HOSTS_FILE : z.path()) + " on " + String.join(", ", z.hosts())).append('\n'));
    }
    notifications(out, plan.notifications());
    if (!plan.secrets().isEmpty()) {
      out.append("Secrets (references, resolved by the worker):\n");
      plan.secrets().forEach((name, ref) -> out.append("  ").append(name).append(" <- ").append(ref).append('\n'));
    }
    var window = plan.window();
    if (window != null) {
      out.append("Window: ")
          .append(window.notBefore() == null ? "any time" : "not before " + window.notBefore())
          .append(window.downtimeBudget() == null ? "" : ", downtime budget " + format(window.downtimeBudget())
              + " (then " + window.onBudgetExceededOrDefault().name().toLowerCase() + ")")
          .append('\n');
    }
    if (dev.cutover.preflight.Preflight.needed(plan)) {
      out.append("\nBefore the first step: preflight (every host reachable with a verified key, tools present, sudo,\n"
          + "room for each copy, the rsync hops" + (plan.databases().isEmpty() ? "" : "; databases: password, wal_level, replication rights,\n"
          + "replica identity, versions, pg_dump where it runs") + (plan.dns().isEmpty() ? "" : "; DNS: zones served, TSIG key accepted, records as\n"
          + "the plan expects") + "); a problem blocks it until you decide retry, skip or abort.\n");
    }
    int n = 1;
    for (PhaseName phase : plan.phases().present()) {
      out.append('\n').append("Phase ").append(phase.yamlName());
      switch (phase) {
        case PRESYNC -> {
          var presync = plan.phases().presync();
          out.append(presync.every() == null ? "" : " — a round every " + format(presync.every()))
              .append(presync.rounds() == null ? "" : ", at most " + presync.rounds() + " round(s)")
              .append(window != null && window.notBefore() != null ? ", until the window opens" : "");
        }
        case MONITOR -> {
          var monitor = plan.phases().monitor();
          out.append(" — a check every ").append(format(monitor.every())).append(" for ").append(format(monitor.duration()));
        }
        default -> {}
      }
      out.append('\n');
      for (Gate gate : plan.gates()) {
        if (phase.yamlName().equals(gate.before())) {
          out.append("  [gate] ").append(gate.name()).append(": wait for approval")
              .append(gate.deadline() == null ? "" : " (abort if none within " + format(gate.deadline()) + ")")
              .append(gate.description() == null ? "" : " — " + TerminalText.line(gate.description().strip())).append('\n');
        }
      }
      if (phase == PhaseName.DOWNTIME && window != null && window.notBefore() != null) {
        out.append("  [timer] wait until the window opens at ").append(window.notBefore()).append('\n');
      }
      for (Step step : plan.phases().steps(phase)) {
        out.append(String.format("  %2d. %s", n++, line(plan, step, phase))).append('\n');
        if (step.undo() != null) {
          out.append("      undo: ").append(line(plan, step.undo(), phase)).append('\n');
        }
      }
      if (phase == PhaseName.FINISH) {
        for (Step lowering : lowerings(plan)) {
          out.append(String.format("  %2d. %s%s [dns-ttl] put back the TTL %s lowered: %s: %s %s (automatic)", n++, lowering.name(),
              dev.cutover.plan.load.TrafficChecks.RESTORE_SUFFIX, lowering.name(), lowering.dns(), lowering.record(), type(lowering))).append('\n');
        }
      }
      if (phase == PhaseName.LOWER_TTL) {
        out.append("  [timer] wait out the old TTL: ").append(format(plan.phases().lowerTtl().oldTtl())).append('\n');
      }
    }
    return TerminalText.block(out.toString());
  }

  private static String line(Plan plan, Step step, PhaseName phase) {
    StringBuilder s = new StringBuilder();
    if (step.name() != null) {
      s.append(step.name()).append(" ");
    }
    s.append("[").append(step.kind().yamlName());
    if (step.host() != null) {
      s.append(" on ").append(step.host());
    }
    s.append("]");
    switch (step.kind()) {
      case RUN -> s.append(" $ ").append(step.command().strip().replace("\n", "\n        "));
      case WAIT -> s.append(" [timer] ").append(format(step.duration()));
      case RSYNC -> s.append(" ").append(step.from()).append(":").append(step.source()).append("/ -> ").append(step.to()).append(":")
          .append(step.target())
          .append(RsyncRunner.onTarget(plan.host(step.from()), plan.host(step.to()), Boolean.TRUE.equals(step.pull()))
              ? " (pulled by " + step.to() + ")" : "")
          .append(Boolean.TRUE.equals(step.delete()) ? ", delete" : "")
          .append(step.excludes().isEmpty() ? "" : ", exclude " + String.join(" ", step.excludes()))
          .append(step.bwlimit() == null ? "" : ", " + step.bwlimit() + " KiB/s");
      case SERVICE -> s.append(" ").append(step.action()).append(" ")
          .append(step.unit() != null ? step.unit() : "$ " + step.command() + " (check $ " + step.check() + ")");
      case CRON -> s.append(" crontab of ").append(step.user()).append(" ").append(step.from()).append(" -> ").append(step.to());
      case MAINTENANCE -> s.append(" ").append(step.action()).append(" ")
          .append(step.path() != null ? step.path() : "$ " + ("on".equals(step.action()) ? step.onCommand() : step.offCommand()));
      case PUT -> s.append(" ").append(step.path())
          .append(step.contentSecret() != null ? " from secret " + step.contentSecret() : " (" + step.content().length() + " characters)")
          .append(step.mode() == null ? "" : ", mode " + step.mode()).append(step.owner() == null ? "" : ", owner " + step.owner());
      case PG_COPY -> s.append(" ").append(step.from()).append(" -> ").append(step.to()).append(" with pg_dump | pg_restore")
          .append(step.jobs() == null || step.jobs() == 1 ? " (streamed, one transaction)" : ", " + step.jobs() + " jobs")
          .append(step.schemas().isEmpty() ? "" : ", schemas " + String.join(" ", step.schemas()))
          .append(step.excludeTables().isEmpty() ? "" : ", without " + String.join(" ", step.excludeTables()));
      case PG_REPLICATE -> s.append(" ").append(PgReplicateStep.START.equals(PgReplicateStep.action(step, phase))
              ? "start: " + step.from() + " -> " + step.to() + " logical replication" + (step.tables().isEmpty() ? "" : " of " + String.join(" ", step.tables()))
                  + ", then report the lag"
              : "finish: wait until " + step.to() + " has applied all of " + step.from() + ", copy sequences, drop subscription and slot"
                  + (Boolean.TRUE.equals(step.reverse()) ? "; then replicate back " + step.to() + " -> " + step.from() : ""));
      case PG_VERIFY -> s.append(" ").append(step.from()).append(" = ").append(step.to()).append(": row counts")
          .append(Boolean.FALSE.equals(step.checksums()) ? "" : " and checksums");
      case SQL -> s.append(" on ").append(step.database()).append(": ").append(step.query().strip())
          .append(step.expectRows() == null ? "" : " (expect " + step.expectRows() + " rows)")
          .append(step.expectValue() == null ? "" : " (expect " + step.expectValue() + ")");
      case PG_CONNECTIONS -> s.append(" ").append(step.database()).append(": ")
          .append(Boolean.TRUE.equals(step.terminate()) ? "terminate clients" + (step.terminateAfter() == null ? "" : " still there after "
              + format(step.terminateAfter())) : "wait until no client is connected");
      case DNS_TTL -> s.append(" ").append(step.dns()).append(": ").append(step.record()).append(" ").append(type(step))
          .append(" TTL -> ").append(format(step.ttl())).append(", then every server answers it")
          // Only a TTL lowered before the finish phase is waited out by a dns-set and put back at the end.
          .append(phase == PhaseName.FINISH ? "" : "; a dns-set waits out the old TTL, the finish phase puts it back");
      case DNS_SET -> s.append(" ").append(step.dns()).append(": ").append(step.record()).append(" ").append(type(step))
          .append(step.expectValue() == null ? "" : " " + step.expectValue()).append(" -> ").append(step.value())
          .append(step.ttl() == null ? "" : " (TTL " + format(step.ttl()) + ")").append(", then wait until every server answers it");
      case PROXY_SWITCH -> s.append(" ").append(step.site()).append(": proxy ")
          .append(step.serverNames().isEmpty() ? "all names" : String.join(" ", step.serverNames())).append(" to ")
          .append(step.upstream() != null ? step.upstream() : step.to()).append(" (nginx -t, reload; undo puts the site back)");
      case HTTP -> s.append(" GET ").append(step.url()).append(resolveText(step))
          .append(" expect ").append(step.expectStatus() == null ? 200 : step.expectStatus())
          .append(step.expectBody() == null ? "" : " and body ~ /" + step.expectBody() + "/");
      case TLS -> s.append(" ").append(step.url()).append(resolveText(step)).append(": certificate covers the name, trusted, valid ")
          .append(step.validDays() == null ? 14 : step.validDays()).append("+ days");
      case NOTIFY -> s.append(" \"").append(step.message() == null ? "" : step.message().strip()).append("\" to the plan's notifications");
      default -> { }
    }
    if (step.isPointOfNoReturn()) {
      s.append("  <- point of no return");
    }
    if (step.onFailure() != null) {
      s.append("  (on failure: ").append(step.onFailure().name().toLowerCase()).append(")");
    }
    return s.toString();
  }
  /**
   * The dns-ttl steps before the finish phase whose TTL the finish phase puts back, one per record:
   * the workflow names each restore after the step that lowered the record, a lower-ttl step first.
   */
  private static List<Step> lowerings(Plan plan) {
    Map<String, Step> byRecord = new LinkedHashMap<>();
    List<PhaseName> order = new ArrayList<>(List.of(PhaseName.LOWER_TTL));
    plan.phases().present().stream().filter(p -> p != PhaseName.LOWER_TTL && p != PhaseName.FINISH).forEach(order::add);
    for (PhaseName phase : order) {
      for (Step step : plan.phases().steps(phase)) {
        if (step.kind() == StepKind.DNS_TTL && step.name() != null) {
          byRecord.putIfAbsent(step.dns() + " " + step.record() + " " + type(step), step);
        }
      }
    }
    return List.copyOf(byRecord.values());
  }

  private static void notifications(StringBuilder out, Notifications n) {
    if (n == null) {
      return;
    }
    out.append("Notifications:\n");
    if (n.webhook() != null) {
      out.append("  webhook: URL from secret ").append(n.webhook()).append('\n');
    }
    Email email = n.email();
    if (email != null) {
      out.append("  email: ").append(email.host()).append(':').append(email.port() == null ? 587 : email.port())
          .append(email.startTlsOrDefault() ? " with STARTTLS" : " without TLS")
          .append(email.userSecret() == null ? ", no login" : ", login from secrets " + email.userSecret() + " and " + email.passwordSecret())
          .append(", from ").append(email.from()).append(" to ").append(String.join(", ", email.to())).append('\n');
    }
    boolean all = n.on().containsAll(List.of(NotificationEvent.values()));
    out.append("  on: ").append(n.on().stream().map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", ")))
        .append(all ? " (all events)" : "").append('\n');
    if (n.on().contains(NotificationEvent.GATE_REMINDER)) {
      out.append("  reminders: ").append(n.remindEvery() == null ? "none (no remindEvery)" : "every " + format(n.remindEvery()) + " while a gate waits")
          .append('\n');
    }
  }

  private static String type(Step step) {
    return step.type() == null ? "A" : step.type().name();
  }

  private static String resolveText(Step step) {
    return step.resolve().isEmpty() ? "" : " (" + step.resolve().entrySet().stream().map(e -> e.getKey() + " at " + e.getValue())
        .collect(java.util.stream.Collectors.joining(", ")) + ")";
  }


  private static String describe(Host h) {
    return h.transportOrDefault().name().toLowerCase()
        + (h.address() == null ? "" : " " + (h.user() == null ? "" : h.user() + "@") + h.address())
        + (h.description() == null ? "" : " — " + TerminalText.line(h.description()));
  }
}
