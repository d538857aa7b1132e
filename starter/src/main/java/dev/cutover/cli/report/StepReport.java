package dev.cutover.cli.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One step of the plan and everything the history shows it did.
 *
 * @param phase the phase it belongs to
 * @param name its name in the plan
 * @param kind its kind (run, rsync, wait, ...)
 * @param place where it acts: a host, from → to, databases
 * @param description the plan's description
 * @param state its last state: pending, running, succeeded, failed, blocked, skipped, undone, undo
 *     failed
 * @param executions every activity (or wait) it ran, undo included, in order
 * @param group the parallel group it runs in (absent for a step of the phase itself)
 * @param branch the group's branch, its lane in the chart (absent for a step of the phase itself)
 */
public record StepReport(
    String phase,
    String name,
    String kind,
    String place,
    String description,
    String state,
    List<StepExecution> executions,
    @JsonInclude(JsonInclude.Include.NON_NULL) String group,
    @JsonInclude(JsonInclude.Include.NON_NULL) String branch) {

  /** How the step's lane reads in tables: {@code copy-databases / finance}; null outside groups. */
  public String lane() {
    return group == null ? null : group + " / " + branch;
  }
}
