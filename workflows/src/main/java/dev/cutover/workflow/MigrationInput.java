package dev.cutover.workflow;

import dev.cutover.plan.Plan;

/**
 * The workflow's input: the plan (secret references only) and, in a continued run, the checkpoint.
 *
 * @param historyLimit continue-as-new once the history has this many events (null: the default);
 *     tests set it low to exercise continue-as-new
 */
public record MigrationInput(Plan plan, Checkpoint checkpoint, Integer historyLimit) {

  public static MigrationInput of(Plan plan) {
    return new MigrationInput(plan, null, null);
  }
}
