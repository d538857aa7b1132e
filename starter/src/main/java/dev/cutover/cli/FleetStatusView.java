package dev.cutover.cli;

import static dev.cutover.cli.report.TerminalText.line;

import dev.cutover.fleet.FleetServiceStatus;
import dev.cutover.fleet.FleetStatus;
import dev.cutover.fleet.FleetWaveStatus;
import dev.cutover.fleet.SharedGateStatus;
import dev.cutover.workflow.MigrationStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet's status as text: its state and what it waits for with the command that moves it on,
 * wave by wave the shared gates and every service, and under each member in flight its own phase,
 * step and what it waits for. Whatever the workflows hold goes through {@code TerminalText}.
 */
final class FleetStatusView {
  private FleetStatusView() {}

  /** A member's line when its status was read, for {@code members} by service name. */
  static FleetMemberLine member(FleetServiceStatus service, MigrationStatus s, Set<String> shared) {
    String action = "";
    if (s.nextAction() != null && !s.nextAction().isEmpty()) {
      boolean atSharedGate =
          s.waitingFor() != null
              && s.waitingFor().startsWith("gate:")
              && shared.contains(s.waitingFor().substring("gate:".length()));
      // The fleet approves its shared gates; a member's own hint would approve one member only.
      action = atSharedGate ? "" : s.nextAction().split("  \\|  ")[0];
    }
    return new FleetMemberLine(
        service.name(),
        service.workflowId(),
        s.state() == null
            ? null
            : s.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
        s.phase(),
        s.currentStep(),
        s.waitingFor(),
        action,
        null);
  }

  static Set<String> sharedGates(FleetStatus s) {
    Set<String> names = new HashSet<>();
    for (FleetWaveStatus w : s.waves()) {
      for (SharedGateStatus g : w.gates()) {
        names.add(g.name());
      }
    }
    return names;
  }

  static String render(
      String id, FleetStatus s, Map<String, FleetMemberLine> members, boolean live) {
    StringBuilder out = new StringBuilder();
    out.append("Fleet ").append(line(s.fleet())).append("  (").append(line(id)).append(")\n");
    if (s.description() != null && !s.description().isBlank()) {
      out.append("  ").append(line(s.description().strip())).append('\n');
    }
    out.append("State:  ").append(line(s.state()));
    if (s.waitingFor() != null && !s.waitingFor().isEmpty()) {
      out.append("    Waiting for: ").append(line(s.waitingFor()));
    }
    out.append('\n');
    if (live) {
      for (FleetWaveStatus w : s.waves()) {
        for (SharedGateStatus g : w.gates()) {
          if ("open".equals(g.state())) {
            out.append("Shared gate ")
                .append(line(g.name()))
                .append(" of wave ")
                .append(line(w.name()))
                .append(" is open; one approval for the whole wave:\n  cutover fleet approve ")
                .append(line(id))
                .append(' ')
                .append(line(g.name()))
                .append(
                    " --comment '...'\n  or in the Temporal UI Send an Update 'approveGate' with")
                .append(" {\"gate\": \"")
                .append(line(g.name()))
                .append("\", \"comment\": \"...\"}\n");
          }
        }
      }
    }
    for (FleetWaveStatus w : s.waves()) {
      out.append("\nWave ").append(line(w.name())).append(": ").append(line(w.state()));
      if (w.startedAt() != null) {
        out.append(", started ").append(w.startedAt());
      }
      if (w.endedAt() != null) {
        out.append(", ended ").append(w.endedAt());
      }
      out.append('\n');
      for (SharedGateStatus g : w.gates()) {
        out.append("  shared gate ")
            .append(line(g.name()))
            .append(" before ")
            .append(line(g.before()))
            .append(": ")
            .append(line(g.state()));
        if ("approved".equals(g.state())) {
          out.append(" at ")
              .append(at(g.approvedAt()))
              .append(g.by() == null ? "" : " by " + line(g.by()))
              .append(g.comment() == null || g.comment().isEmpty() ? "" : ": " + line(g.comment()));
        } else if (g.waitingOn() != null && !g.waitingOn().isEmpty()) {
          out.append(" (not there yet: ")
              .append(line(String.join(", ", g.waitingOn())))
              .append(')');
        }
        out.append('\n');
      }
      out.append(
          String.format(
              "  %-24s %-10s %-10s %-30s %s%n",
              "SERVICE", "STATE", "PHASE", "WAITING FOR", "WORKFLOW"));
      for (FleetServiceStatus svc : servicesOf(s, w)) {
        out.append(
            String.format(
                "  %-24s %-10s %-10s %-30s %s%n",
                line(svc.name()),
                line(nz(svc.state())),
                line(nz(svc.phase())),
                line(nz(svc.waitingFor())),
                line(nz(svc.workflowId()))));
        FleetMemberLine m = members.get(svc.name());
        if (m != null) {
          out.append("      ").append(memberLine(m)).append('\n');
          if (live && m.nextAction() != null && !m.nextAction().isEmpty()) {
            out.append("      ").append(line(m.nextAction())).append('\n');
          }
        } else if (svc.detail() != null && !svc.detail().isEmpty()) {
          out.append("      ").append(line(svc.detail())).append('\n');
        }
      }
    }
    if (s.notes() != null && !s.notes().isEmpty()) {
      out.append("\nNotes:\n");
      for (String n : s.notes()) {
        out.append("  - ").append(line(n)).append('\n');
      }
    }
    return out.toString();
  }

  /**
   * "its own status: state running, phase downtime, step restore, waiting for decision:restore".
   */
  static String memberLine(FleetMemberLine m) {
    if (m.unanswered() != null) {
      return "its own status: " + line(m.unanswered());
    }
    return "its own status: "
        + line(nz(m.state()))
        + ", phase "
        + line(nz(m.phase()))
        + ", step "
        + line(nz(m.step()))
        + (m.waitingFor() == null || m.waitingFor().isEmpty()
            ? ""
            : ", waiting for " + line(m.waitingFor()));
  }

  private static List<FleetServiceStatus> servicesOf(FleetStatus s, FleetWaveStatus w) {
    return s.services().stream().filter(x -> w.name().equals(x.wave())).toList();
  }

  private static String at(Instant t) {
    return t == null ? "-" : t.toString();
  }

  private static String nz(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
