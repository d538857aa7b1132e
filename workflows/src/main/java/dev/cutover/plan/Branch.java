package dev.cutover.plan;

import java.util.List;

/**
 * One branch of a step that runs branches side by side (kind parallel): its steps run in order, as
 * a phase's do, while the other branches of the group run theirs.
 */
@Doc("One branch of a parallel group: steps run in order, beside the group's other branches.")
public record Branch(
    @Required @Doc("Name of the branch, unique within its group; status shows it as a lane.")
        String name,
    @Required
        @Doc("The branch's steps, run one after another; their names are unique in the whole plan.")
        List<Step> steps) {

  public List<Step> stepsOrEmpty() {
    return steps == null ? List.of() : steps;
  }
}
