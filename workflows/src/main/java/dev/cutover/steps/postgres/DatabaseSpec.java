package dev.cutover.steps.postgres;

import dev.cutover.plan.StepSpec;

/**
 * A spec of a kind that acts on the plan's databases, not its hosts: activities name the databases.
 */
public interface DatabaseSpec extends StepSpec {
  @Override
  default String activityPlace() {
    return placeText();
  }

  /**
   * A database kind between two databases (pg-copy, pg-replicate, pg-verify): records with from and
   * to answer it.
   */
  interface Pair extends DatabaseSpec {
    String from();

    String to();

    @Override
    default String placeText() {
      return StepSpec.fromTo(from(), to());
    }
  }
}
