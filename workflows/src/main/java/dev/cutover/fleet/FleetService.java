package dev.cutover.fleet;

import dev.cutover.plan.Plan;
import java.util.List;

/**
 * One service of a fleet: its plan (from a plan file, or a template filled with the service's
 * values, with the wave's shared gates added) and the services it waits for.
 *
 * @param wave the name of the one wave the service is in
 * @param dependsOn services that must have completed before this one starts
 * @param source where the plan came from, for messages: {@code plans/hr.yaml} or {@code template vm
 *     (templates/vm.yaml)}
 */
public record FleetService(
    String name, String wave, List<String> dependsOn, Plan plan, String source) {

  public FleetService {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
  }

  /** The member's business workflow id, as a migration started alone would have it. */
  public String workflowId() {
    return FleetNames.memberWorkflowId(plan.migration());
  }
}
