package dev.cutover.worker.bench;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Bench profile only: an activity that does nothing, the floor a step is compared with. */
@ActivityInterface
public interface BenchNoopActivity {
  @ActivityMethod(name = "CutoverBenchNoop")
  int noop();
}
