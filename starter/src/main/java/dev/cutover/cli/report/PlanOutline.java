package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plan in the first run's input: the migration's name, its steps in the order they run, its
 * gates.
 */
final class PlanOutline {
  private PlanOutline() {}

  static void read(JsonNode plan, Timeline t) {
    t.migration = PayloadJson.text(plan, "migration");
    t.description = PayloadJson.text(plan, "description");
    t.budget = duration(plan.path("window").path("downtimeBudget"));
    Map<String, PlanStep> planSteps = new LinkedHashMap<>();
    for (var it = plan.path("phases").fields(); it.hasNext(); ) {
      var field = it.next();
      if (!field.getValue().isObject()) {
        continue;
      }
      String phaseName = phaseName(field.getKey());
      for (JsonNode step : field.getValue().path("steps")) {
        add(planSteps, phaseName, step, null, null);
      }
    }
    // The workflow runs phases in a fixed order whatever the input's field order.
    List<PlanStep> ordered = new ArrayList<>(planSteps.values());
    ordered.sort(Comparator.comparingInt(s -> Timeline.PHASE_ORDER.indexOf(s.phase())));
    ordered.forEach(s -> t.steps.put(s.name(), new StepTimeline(s)));
    for (JsonNode gate : plan.path("gates")) {
      String name = PayloadJson.text(gate, "name");
      if (name != null) {
        t.gates.put(
            name,
            new GateTimeline(
                name, PayloadJson.text(gate, "before"), PayloadJson.text(gate, "description")));
      }
    }
  }

  /**
   * A step, then the steps of its branches when it is a parallel group, each with its lane, so the
   * report lists every step that ran and draws a group's branches side by side.
   */
  private static void add(
      Map<String, PlanStep> planSteps, String phase, JsonNode step, String group, String branch) {
    String name = PayloadJson.text(step, "name");
    if (name == null) {
      return;
    }
    planSteps.put(
        name,
        new PlanStep(
            phase,
            name,
            kindName(PayloadJson.text(step, "kind")),
            place(step),
            PayloadJson.text(step, "description"),
            group,
            branch));
    for (JsonNode lane : step.path("branches")) {
      String laneName = PayloadJson.text(lane, "name");
      for (JsonNode nested : lane.path("steps")) {
        add(planSteps, phase, nested, name, laneName);
      }
    }
  }

  /** Phase field names in the input are the record's ({@code lowerTtl}, {@code switchTraffic}). */
  private static String phaseName(String field) {
    return switch (field) {
      case "lowerTtl" -> "lower-ttl";
      case "switchTraffic" -> "switch";
      default -> field;
    };
  }

  static String kindName(String kind) {
    return kind == null ? null : kind.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String place(JsonNode step) {
    String host = PayloadJson.text(step, "host");
    String from = PayloadJson.text(step, "from");
    String to = PayloadJson.text(step, "to");
    if (host != null) {
      return host;
    }
    if (from != null || to != null) {
      return (from == null ? "?" : from) + " → " + (to == null ? "?" : to);
    }
    return null;
  }

  /** A duration as Jackson writes it in payloads: seconds as a decimal number, or ISO-8601 text. */
  static Duration duration(JsonNode node) {
    if (node.isNumber()) {
      java.math.BigDecimal seconds = node.decimalValue();
      return Duration.ofSeconds(
          seconds.longValue(),
          seconds.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
    }
    if (node.isTextual()) {
      try {
        return Duration.parse(node.asText());
      } catch (RuntimeException e) {
        return null;
      }
    }
    return null;
  }
}
