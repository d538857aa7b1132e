package dev.cutover.workflow;

import dev.cutover.plan.Plan;

/**
 * The workflow's input: the plan (secret references only) and, in a continued run, the checkpoint.
 *
 * @param historyLimit continue-as-new once the history has this many events (null: the default);
 *     tests set it low to exercise continue-as-new
 * @param start who starts it, signed or not ({@code null}: inputs of clients before verified
 *     approvals, and continued runs, whose checkpoint carries the starter)
 */
public record MigrationInput(
    Plan plan, Checkpoint checkpoint, Integer historyLimit, SignedStart start) {

  public MigrationInput(Plan plan, Checkpoint checkpoint, Integer historyLimit) {
    this(plan, checkpoint, historyLimit, null);
  }

  public static MigrationInput of(Plan plan) {
    return new MigrationInput(plan, null, null);
  }
}
