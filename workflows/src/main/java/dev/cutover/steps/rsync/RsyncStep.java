package dev.cutover.steps.rsync;

import dev.cutover.plan.Step;
import dev.cutover.steps.ByteText;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;

/** The {@code rsync} step in the workflow: one activity; nothing to undo (a copy adds, the old tree stays). */
public final class RsyncStep implements StepHandler {
  @Override
  public StepDone run(StepCall call) {
    RsyncResult result = call.activities(RsyncActivities.class).sync(request(call));
    return new StepDone(summary(result), null, result);
  }

  static RsyncRequest request(StepCall call) {
    Step s = call.step();
    return new RsyncRequest(s.name(), s.from(), call.plan().host(s.from()), s.source(), s.to(), call.plan().host(s.to()), s.target(),
        s.excludes(), Boolean.TRUE.equals(s.delete()), !Boolean.FALSE.equals(s.partial()), s.bwlimit(), Boolean.TRUE.equals(s.pull()),
        s.identity(), s.sudo());
  }

  /** One line for status: what changed and what it cost, so the final sync can be judged from a presync round. */
  public static String summary(RsyncResult r) {
    return String.format(java.util.Locale.ROOT, "%,d changed, %,d files sent (%s of %s) in %s",
        r.changedFiles(), r.filesTransferred(), ByteText.of(r.bytesTransferred()), ByteText.of(r.totalSize()),
        dev.cutover.plan.load.DurationText.format(java.time.Duration.ofMillis(r.durationMillis())));
  }
}
