package dev.cutover.cli;

import dev.cutover.cli.report.TerminalText;
import dev.cutover.fleet.Fleet;
import dev.cutover.fleet.FleetFailurePolicy;
import dev.cutover.fleet.FleetNames;
import dev.cutover.fleet.FleetService;
import dev.cutover.fleet.FleetWave;
import dev.cutover.fleet.SharedGate;
import dev.cutover.plan.Gate;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A fleet as the workflow will run it, for a person to read before starting: waves in order, their
 * shared gates, and each service's plan in outline. Everything from the files goes through {@link
 * TerminalText}.
 */
final class FleetPreview {
  private FleetPreview() {}

  static String render(Fleet fleet) {
    StringBuilder out = new StringBuilder();
    out.append("Fleet ")
        .append(TerminalText.line(fleet.fleet()))
        .append("  (workflow ")
        .append(TerminalText.line(FleetNames.fleetWorkflowId(fleet.fleet())))
        .append(")\n");
    if (fleet.description() != null && !fleet.description().isBlank()) {
      out.append("  ")
          .append(TerminalText.block(fleet.description().strip()).replace("\n", "\n  "))
          .append('\n');
    }
    out.append(
        String.format(
            "%d service(s) in %d wave(s), at most %d in flight at once.%n",
            fleet.services().size(), fleet.waves().size(), fleet.concurrency()));
    out.append("A service blocked on a failure: ")
        .append(
            fleet.onFailure() == FleetFailurePolicy.HOLD
                ? "hold (start no other service and open no shared gate until it is decided)"
                : "continue (the rest goes on; only services depending on it wait)")
        .append(".\n");
    int n = 0;
    for (FleetWave wave : fleet.waves()) {
      n++;
      out.append("\nWave ")
          .append(n)
          .append(": ")
          .append(TerminalText.line(wave.name()))
          .append(n == 1 ? "" : "  (starts when every service of the wave before has ended)")
          .append('\n');
      for (SharedGate g : wave.gates()) {
        out.append("  shared gate ")
            .append(TerminalText.line(g.name()))
            .append(" before ")
            .append(TerminalText.line(g.before()))
            .append(" of every service of the wave")
            .append(
                g.description() == null || g.description().isBlank()
                    ? ""
                    : ": " + TerminalText.line(g.description().strip()))
            .append('\n');
        out.append("    one approval for the wave: cutover fleet approve ")
            .append(TerminalText.line(fleet.fleet()))
            .append(' ')
            .append(TerminalText.line(g.name()))
            .append(" --comment '...'\n");
      }
      Set<String> shared = wave.gates().stream().map(SharedGate::name).collect(Collectors.toSet());
      for (String name : wave.services()) {
        FleetService s = fleet.service(name);
        if (s != null) {
          service(out, s, shared);
        }
      }
    }
    return out.toString();
  }

  private static void service(StringBuilder out, FleetService s, Set<String> shared) {
    Plan plan = s.plan();
    out.append("  ")
        .append(TerminalText.line(s.name()))
        .append("  (")
        .append(TerminalText.line(s.workflowId()))
        .append(", from ")
        .append(TerminalText.line(s.source() == null ? "?" : s.source()))
        .append(")\n");
    if (!s.dependsOn().isEmpty()) {
      out.append("    after: ")
          .append(TerminalText.line(String.join(", ", s.dependsOn())))
          .append(" (completed)\n");
    }
    List<String> phases = new ArrayList<>();
    for (PhaseName phase : plan.phases().present()) {
      phases.add(
          phase.yamlName()
              + " ("
              + String.join(", ", plan.phases().steps(phase).stream().map(st -> st.name()).toList())
              + ")");
    }
    out.append("    phases: ").append(TerminalText.line(String.join(" -> ", phases))).append('\n');
    if (!plan.gates().isEmpty()) {
      List<String> gates = new ArrayList<>();
      for (Gate g : plan.gates()) {
        gates.add(
            g.name() + " before " + g.before() + (shared.contains(g.name()) ? " (shared)" : ""));
      }
      out.append("    gates: ").append(TerminalText.line(String.join("; ", gates))).append('\n');
    }
  }
}
