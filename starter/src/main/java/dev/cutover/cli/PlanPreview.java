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
import dev.cutover.plan.StepSpec;
import dev.cutover.steps.StepHandler;
import dev.cutover.steps.StepKinds;
import java.util.List;
import java.util.Locale;
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
      out.append("  ")
          .append(TerminalText.block(plan.description().strip()).replace("\n", "\n  "))
          .append('\n');
    }
    out.append("Hosts:\n");
    plan.hosts()
        .forEach(
            (name, h) ->
                out.append("  ").append(name).append(": ").append(describe(h)).append('\n'));
    if (!plan.databases().isEmpty()) {
      out.append("Databases:\n");
      plan.databases()
          .forEach(
              (name, d) ->
                  out.append("  ")
                      .append(name)
                      .append(": ")
                      .append(d.name())
                      .append(" as ")
                      .append(d.userOrDefault())
                      .append(" on ")
                      .append(d.host())
                      .append(d.port() == null ? "" : ":" + d.port())
                      .append(
                          d.accessOrDefault() == dev.cutover.plan.DatabaseAccess.HOST_TOOLS
                              ? " (psql and pg_dump on the host)"
                              : " (JDBC from the worker)")
                      .append(
                          d.passwordSecret() == null
                              ? ""
                              : ", password from secret " + d.passwordSecret())
                      .append('\n'));
    }
    if (!plan.dns().isEmpty()) {
      out.append("DNS:\n");
      plan.dns()
          .forEach(
              (name, z) ->
                  out.append("  ")
                      .append(name)
                      .append(": ")
                      .append(
                          z.provider() == dev.cutover.plan.DnsProvider.RFC2136
                              ? "zone "
                                  + z.zone()
                                  + " by RFC 2136 updates signed with key "
                                  + z.tsigKey()
                                  + " (secret "
                                  + z.tsigSecret()
                                  + ")"
                                  + (z.servers().isEmpty()
                                      ? ", servers from SOA and NS"
                                      : " on " + String.join(", ", z.servers()))
                              : "hosts file "
                                  + (z.path() == null
                                      ? dev.cutover.plan.DnsZone.DEFAULT_HOSTS_FILE
                                      : z.path())
                                  + " on "
                                  + String.join(", ", z.hosts()))
                      .append('\n'));
    }
    notifications(out, plan.notifications());
    if (!plan.secrets().isEmpty()) {
      out.append("Secrets (references, resolved by the worker):\n");
      plan.secrets()
          .forEach(
              (name, ref) -> out.append("  ").append(name).append(" <- ").append(ref).append('\n'));
    }
    var window = plan.window();
    if (window != null) {
      out.append("Window: ")
          .append(window.notBefore() == null ? "any time" : "not before " + window.notBefore())
          .append(
              window.downtimeBudget() == null
                  ? ""
                  : ", downtime budget "
                      + format(window.downtimeBudget())
                      + " (then "
                      + window.onBudgetExceededOrDefault().name().toLowerCase()
                      + ")")
          .append('\n');
    }
    if (dev.cutover.preflight.Preflight.needed(plan)) {
      out.append(
          "\nBefore the first step: preflight (every host reachable with a verified key, tools present, sudo,\n"
              + "room for each copy, the rsync hops"
              + (plan.databases().isEmpty()
                  ? ""
                  : "; databases: password, wal_level, replication rights,\n"
                      + "replica identity, versions, pg_dump where it runs")
              + (plan.dns().isEmpty()
                  ? ""
                  : "; DNS: zones served, TSIG key accepted, records as\n" + "the plan expects")
              + "); a problem blocks it until you decide retry, skip or abort.\n");
    }
    int n = 1;
    for (PhaseName phase : plan.phases().present()) {
      out.append('\n').append("Phase ").append(phase.yamlName());
      switch (phase) {
        case PRESYNC -> {
          var presync = plan.phases().presync();
          out.append(presync.every() == null ? "" : " — a round every " + format(presync.every()))
              .append(presync.rounds() == null ? "" : ", at most " + presync.rounds() + " round(s)")
              .append(
                  window != null && window.notBefore() != null ? ", until the window opens" : "");
        }
        case MONITOR -> {
          var monitor = plan.phases().monitor();
          out.append(" — a check every ")
              .append(format(monitor.every()))
              .append(" for ")
              .append(format(monitor.duration()));
        }
        default -> {}
      }
      out.append('\n');
      for (Gate gate : plan.gates()) {
        if (phase.yamlName().equals(gate.before())) {
          out.append("  [gate] ")
              .append(gate.name())
              .append(": wait for approval")
              .append(
                  gate.deadline() == null
                      ? ""
                      : " (abort if none within " + format(gate.deadline()) + ")")
              .append(
                  gate.description() == null
                      ? ""
                      : " — " + TerminalText.line(gate.description().strip()))
              .append('\n');
        }
      }
      if (phase == PhaseName.DOWNTIME && window != null && window.notBefore() != null) {
        out.append("  [timer] wait until the window opens at ")
            .append(window.notBefore())
            .append('\n');
      }
      for (Step step : plan.phases().steps(phase)) {
        out.append(String.format("  %2d. %s", n++, line(plan, step, phase))).append('\n');
        if (step.undo() != null) {
          out.append("      undo: ").append(line(plan, step.undo(), phase)).append('\n');
        }
        // A group's branches run side by side: each branch's steps under its name, in order.
        for (dev.cutover.plan.Branch branch : step.branches()) {
          out.append("      branch ").append(branch.name()).append(":\n");
          for (Step nested : branch.stepsOrEmpty()) {
            out.append(String.format("        %2d. %s", n++, line(plan, nested, phase)))
                .append('\n');
            if (nested.undo() != null) {
              out.append("            undo: ")
                  .append(line(plan, nested.undo(), phase))
                  .append('\n');
            }
          }
        }
      }
      if (phase == PhaseName.FINISH) {
        for (StepHandler<StepSpec> handler : StepKinds.handlers()) {
          for (String line : handler.finishPreview(plan)) {
            out.append(String.format("  %2d. %s", n++, line)).append('\n');
          }
        }
      }
      if (phase == PhaseName.LOWER_TTL) {
        out.append("  [timer] wait out the old TTL: ")
            .append(format(plan.phases().lowerTtl().oldTtl()))
            .append('\n');
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
    if (step.spec().host() != null) {
      s.append(" on ").append(step.spec().host());
    }
    s.append("]");
    s.append(StepKinds.handler(step.kind()).preview(step.spec(), phase, plan));
    if (step.isPointOfNoReturn()) {
      s.append("  <- point of no return");
    }
    if (step.onFailure() != null) {
      s.append("  (on failure: ").append(step.onFailure().name().toLowerCase()).append(")");
    }
    return s.toString();
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
      out.append("  email: ")
          .append(email.host())
          .append(':')
          .append(email.port() == null ? 587 : email.port())
          .append(email.startTlsOrDefault() ? " with STARTTLS" : " without TLS")
          .append(
              email.userSecret() == null
                  ? ", no login"
                  : ", login from secrets " + email.userSecret() + " and " + email.passwordSecret())
          .append(", from ")
          .append(email.from())
          .append(" to ")
          .append(String.join(", ", email.to()))
          .append('\n');
    }
    boolean all = n.on().containsAll(List.of(NotificationEvent.values()));
    out.append("  on: ")
        .append(
            n.on().stream()
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", ")))
        .append(all ? " (all events)" : "")
        .append('\n');
    if (n.on().contains(NotificationEvent.GATE_REMINDER)) {
      out.append("  reminders: ")
          .append(
              n.remindEvery() == null
                  ? "none (no remindEvery)"
                  : "every " + format(n.remindEvery()) + " while a gate waits")
          .append('\n');
    }
  }

  private static String describe(Host h) {
    return h.transportOrDefault().name().toLowerCase()
        + (h.address() == null ? "" : " " + (h.user() == null ? "" : h.user() + "@") + h.address())
        + (h.description() == null ? "" : " — " + TerminalText.line(h.description()));
  }
}
