package dev.cutover.plan;

import java.util.List;

/**
 * A spec of a kind that acts between two hosts of the plan (rsync, cron): records with from and to
 * answer it.
 */
public interface HostPairSpec extends StepSpec {
  String from();

  String to();

  @Override
  default List<String> hosts() {
    return StepSpec.between(from(), to());
  }

  @Override
  default String placeText() {
    return StepSpec.fromTo(from(), to());
  }
}
