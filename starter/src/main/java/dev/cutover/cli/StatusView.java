package dev.cutover.cli;

import static dev.cutover.cli.report.TerminalText.line;

import dev.cutover.cli.report.ReportText;
import dev.cutover.cli.report.TerminalText;
import dev.cutover.plan.load.DurationText;
import dev.cutover.steps.dns.DnsRecordMemory;
import dev.cutover.steps.dns.DnsRecordState;
import dev.cutover.workflow.GateState;
import dev.cutover.workflow.GateStatus;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.StepState;
import dev.cutover.workflow.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The status as a person reads it in a terminal. */
final class StatusView {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private StatusView() {}

  static String render(String id, MigrationStatus s) {
    return render(id, s, java.util.Map.of(), true);
  }

  /**
   * The status as text. Every value from the plan, a host or a signal goes through {@link
   * TerminalText}, and the whole view once more, so no byte of it can drive the terminal. A run
   * that has ended ({@code live} false) shows no "waiting for" instructions: nothing can move it
   * on.
   *
   * @param signalIdentities for gates approved by a signal that named nobody (the Temporal UI's),
   *     the identity Temporal recorded on the signal's event
   */
  static String render(
      String id, MigrationStatus s, java.util.Map<String, String> signalIdentities, boolean live) {
    StringBuilder out = new StringBuilder();
    out.append("Migration ")
        .append(line(s.migration()))
        .append("  (")
        .append(line(id))
        .append(")\n");
    out.append("State:  ")
        .append(s.state().name().toLowerCase(Locale.ROOT).replace('_', ' '))
        .append("    Phase: ")
        .append(line(s.phase()));
    if (s.currentStep() != null) {
      out.append("    Step: ").append(line(s.currentStep()));
    }
    out.append('\n');
    if (s.startedBy() != null) {
      out.append("Started by: ")
          .append(line(s.startedBy().shown()))
          .append(s.startedBy().reason() == null ? "" : " — " + line(s.startedBy().reason()))
          .append('\n');
    }
    if (s.waitingUntil() != null) {
      out.append("Timer:  until ").append(s.waitingUntil()).append('\n');
    }
    if (live && s.nextAction() != null && !s.nextAction().isEmpty()) {
      out.append("Waiting for ").append(line(s.waitingFor())).append(":\n");
      for (String action : s.nextAction().split("  \\|  ")) {
        out.append("  ").append(line(action)).append('\n');
      }
    }
    if (s.abortReason() != null) {
      out.append("Abort:  ").append(line(s.abortReason())).append('\n');
    }
    var d = s.downtime();
    if (d != null && d.startedAt() != null) {
      // The workflow's clock only moves when it wakes up; while it waits, count from the start
      // here.
      Duration measured =
          d.endedAt() != null ? d.measured() : Duration.between(d.startedAt(), Instant.now());
      out.append("Downtime: ")
          .append(DurationText.format(measured.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)))
          .append(d.endedAt() == null ? " and counting" : "")
          .append(d.budget() == null ? "" : " of budget " + DurationText.format(d.budget()))
          .append(
              d.budgetExceeded() || (d.budget() != null && measured.compareTo(d.budget()) > 0)
                  ? "  (BUDGET EXCEEDED)"
                  : "")
          .append('\n');
    }
    if (!s.presyncRounds().isEmpty()) {
      out.append("Presync rounds: ").append(s.presyncRounds().size()).append('\n');
    }
    if (s.monitorChecks() > 0) {
      out.append("Monitor checks: ").append(s.monitorChecks()).append('\n');
    }
    out.append('\n')
        .append(
            String.format(
                "  %-10s %-28s %-10s %-12s %4s %-15s %s%n",
                "PHASE", "STEP", "KIND", "STATE", "TRY", "STARTED", "TOOK"));
    for (StepStatus step : s.steps()) {
      out.append(
          String.format(
              "  %-10s %-28s %-10s %-12s %4s %-15s %s%n",
              line(step.phase()),
              step.inGroup() ? "‖ " + line(step.name()) : line(step.name()),
              line(step.kind()),
              step.state().name().toLowerCase(Locale.ROOT),
              step.attempts() == 0 ? "" : Integer.toString(step.attempts()),
              step.startedAt() == null ? "" : TIME.format(step.startedAt()),
              took(step.startedAt(), step.endedAt())));
      if (step.error() != null
          && (step.state() == StepState.BLOCKED || step.state() == StepState.FAILED)) {
        out.append("      error: ")
            .append(line(step.error()))
            .append(step.errorType() == null ? "" : " [" + line(step.errorType()) + "]")
            .append('\n');
        if (step.outputTail() != null && !step.outputTail().isBlank()) {
          for (String outputLine : lastLines(step.outputTail(), 5)) {
            out.append("      | ").append(TerminalText.block(outputLine)).append('\n');
          }
        }
      }
    }
    StatusLanes.append(out, s.steps());
    if (!s.gates().isEmpty()) {
      out.append("\n  Gates:\n");
      for (GateStatus g : s.gates()) {
        out.append(
            String.format(
                "  %-20s before %-10s %s%n",
                line(g.name()),
                line(g.before()),
                g.state() == GateState.APPROVED
                    ? "approved "
                        + g.approvedAt()
                        + approver(g, signalIdentities)
                        + (g.comment() == null ? "" : " — " + line(g.comment()))
                    : g.state().name().toLowerCase(Locale.ROOT)
                        + (g.required() == null
                            ? ""
                            : ": " + g.approvals().size() + " of " + g.required() + " approvals")));
        approvals(out, g);
      }
    }
    if (s.dns() != null && !s.dns().isEmpty()) {
      out.append("\n  DNS:\n");
      s.dns().forEach(r -> out.append("  ").append(dnsLine(r)).append('\n'));
    }
    if (!s.decisions().isEmpty()) {
      out.append("\n  Decisions:\n");
      s.decisions()
          .forEach(
              dr ->
                  out.append("  ")
                      .append(dr.at())
                      .append(" ")
                      .append(line(dr.step()))
                      .append(": ")
                      .append(dr.action().wireName())
                      .append(dr.by() == null ? "" : " by " + line(dr.by()))
                      .append(dr.comment() == null ? "" : " — " + line(dr.comment()))
                      .append('\n'));
    }
    if (!s.notes().isEmpty()) {
      out.append("\n  Notes:\n");
      s.notes().forEach(n -> out.append("  - ").append(line(n)).append('\n'));
    }
    return TerminalText.block(out.toString());
  }

  /**
   * A gate under an approval policy: each approval counted (who, which key, verified or not) and
   * who could still approve.
   */
  private static void approvals(StringBuilder out, GateStatus g) {
    if (g.required() == null) {
      return;
    }
    if (g.state() == GateState.APPROVED) {
      out.append("      needed ").append(g.required()).append(" approvals\n");
    }
    for (var a : g.approvals()) {
      out.append("      approved by ")
          .append(line(a.shown()))
          .append(" at ")
          .append(a.at())
          .append(a.comment() == null ? "" : " — " + line(a.comment()))
          .append('\n');
    }
    if (g.state() != GateState.APPROVED && g.stillNeeded() != null) {
      int left = Math.max(0, g.required() - g.approvals().size());
      out.append("      still needed: ")
          .append(left)
          .append(left == 1 ? " approval" : " approvals")
          .append(
              g.stillNeeded().isEmpty()
                  ? " (no listed approver is left to give it)"
                  : " from " + line(String.join(", ", g.stillNeeded())))
          .append('\n');
    }
  }

  /**
   * Who approved: the payload's name, else Temporal's identity on the signal, else that it came by
   * signal.
   */
  private static String approver(GateStatus g, java.util.Map<String, String> signalIdentities) {
    if (g.required() != null) {
      return ""; // the approvals follow, one a line
    }
    if (g.by() != null) {
      return " by " + line(g.by());
    }
    String identity = signalIdentities.get(g.name());
    return identity == null ? " by signal" : " by signal from " + line(identity);
  }

  /** For --watch: what the running activities report in their heartbeats. */
  static String progress(
      MigrationStatus s,
      io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse described,
      Instant now) {
    if (described == null || described.getPendingActivitiesCount() == 0) {
      return "";
    }
    StringBuilder out = new StringBuilder("\n  Running now:\n");
    for (var activity : described.getPendingActivitiesList()) {
      out.append("  ")
          .append(s.currentStep() == null ? "" : "step " + line(s.currentStep()) + ": ")
          .append(line(ActivityProgress.describe(activity, now)))
          .append('\n');
    }
    return TerminalText.block(out.toString());
  }

  static String watchFooter(
      Instant now,
      Duration every,
      boolean closed,
      io.temporal.api.enums.v1.WorkflowExecutionStatus execution) {
    if (closed) {
      return "\nThe migration's workflow has ended ("
          + StatusCommand.executionName(execution)
          + ").\n";
    }
    return "\n("
        + TIME.format(now)
        + ", refreshing every "
        + DurationText.format(every)
        + "; Ctrl-C stops watching, the migration goes on)\n";
  }

  /**
   * A record as the run read it before changing it (what the finish phase and undo put back), and
   * its TTL now.
   */
  private static String dnsLine(DnsRecordMemory r) {
    StringBuilder text =
        new StringBuilder(line(r.name()))
            .append(' ')
            .append(r.type())
            .append(" (")
            .append(line(r.dns()))
            .append("): ");
    DnsRecordState was = r.original();
    if (was == null || !was.exists()) {
      text.append("did not exist");
    } else {
      text.append("was ")
          .append(line(String.join(" ", was.values())))
          .append(", TTL ")
          .append(DurationText.format(was.ttl()));
    }
    text.append(", read by ").append(line(r.step()));
    if (r.loweredTo() != null) {
      text.append("; TTL lowered to ")
          .append(DurationText.format(r.loweredTo()))
          .append(r.loweredAt() == null ? "" : " since " + ReportText.time(r.loweredAt()) + " UTC");
    } else if (was != null && was.exists()) {
      text.append("; TTL as it was");
    }
    return text.toString();
  }

  private static String took(Instant start, Instant end) {
    if (start == null || end == null) {
      return "";
    }
    return DurationText.format(Duration.between(start, end));
  }

  private static java.util.List<String> lastLines(String text, int n) {
    String[] lines = text.split("\n");
    return java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - n), lines.length);
  }
}
