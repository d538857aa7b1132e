package dev.cutover.steps.http;

import dev.cutover.plan.Host;
import dev.cutover.plan.Plan;
import java.util.LinkedHashMap;
import java.util.Map;

/** The resolve map as activities need it: a plan host stands for its address. */
final class CheckTargets {
  private CheckTargets() {}

  /** The resolve map for a person to read: " (www.example.org at new)", or nothing. */
  static String resolveText(Map<String, String> resolve) {
    return resolve.isEmpty()
        ? ""
        : " ("
            + resolve.entrySet().stream()
                .map(e -> e.getKey() + " at " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "))
            + ")";
  }

  static Map<String, String> addresses(Plan plan, Map<String, String> resolve) {
    Map<String, String> out = new LinkedHashMap<>();
    resolve.forEach(
        (name, target) -> {
          Host host = plan.hosts().get(target);
          out.put(name, host != null ? host.address() : target);
        });
    return out;
  }
}
