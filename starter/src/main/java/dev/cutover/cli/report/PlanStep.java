package dev.cutover.cli.report;

/**
 * A step as the plan in the run's input names it.
 *
 * @param group the parallel group a nested step runs in; null for a step of the phase itself
 * @param branch the group's branch the step runs in: its lane
 */
record PlanStep(
    String phase,
    String name,
    String kind,
    String place,
    String description,
    String group,
    String branch) {

  PlanStep(String phase, String name, String kind, String place, String description) {
    this(phase, name, kind, place, description, null, null);
  }
}
