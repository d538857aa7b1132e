package dev.cutover.cli;

import dev.cutover.cli.report.TerminalText;
import dev.cutover.workflow.StepStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parallel group's branches side by side in status: one line per branch (its lane) with its steps
 * in order and their states, so an operator sees at a glance which branch is ahead, blocked or
 * done.
 */
final class StatusLanes {
  private StatusLanes() {}

  static void append(StringBuilder out, List<StepStatus> steps) {
    Map<String, Map<String, StringBuilder>> groups = new LinkedHashMap<>();
    for (StepStatus step : steps) {
      if (!step.inGroup()) {
        continue;
      }
      StringBuilder lane =
          groups
              .computeIfAbsent(step.group(), g -> new LinkedHashMap<>())
              .computeIfAbsent(step.branch(), b -> new StringBuilder());
      if (lane.length() > 0) {
        lane.append(" -> ");
      }
      lane.append(TerminalText.line(step.name()))
          .append(' ')
          .append(step.state().name().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
    for (var group : groups.entrySet()) {
      out.append("\nLanes of ")
          .append(TerminalText.line(group.getKey()))
          .append(" (")
          .append(group.getValue().size())
          .append(" branches side by side):\n");
      int width = group.getValue().keySet().stream().mapToInt(String::length).max().orElse(0);
      for (var lane : group.getValue().entrySet()) {
        out.append(
            String.format(
                "  %-" + Math.max(1, Math.min(width, 24)) + "s  %s%n",
                TerminalText.line(lane.getKey()),
                lane.getValue()));
      }
    }
  }
}
