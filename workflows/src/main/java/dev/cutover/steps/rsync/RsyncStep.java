package dev.cutover.steps.rsync;

import dev.cutover.plan.Host;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.ByteText;
import dev.cutover.steps.Created;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.util.List;

/**
 * The {@code rsync} step in the workflow: one activity; nothing to undo (a copy adds, the old tree
 * stays).
 */
public final class RsyncStep implements StepHandler<RsyncSpec> {
  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, RsyncSpec s, PhaseName phase, Plan plan) {
    needs.tools(s.from(), "rsync");
    needs.tools(s.to(), "rsync");
    Host runner =
        plan.hosts()
            .get(
                RsyncRunner.onTarget(plan.host(s.from()), plan.host(s.to()), s.pullOrDefault())
                    ? s.to()
                    : s.from());
    needs.copy(
        step.name(),
        s.from(),
        s.source(),
        s.to(),
        s.target(),
        s.pullOrDefault(),
        s.identity(),
        runner != null && runner.sudoFor(s.sudo()),
        s.excludes());
  }

  /** rsync makes its target directory: a later copy from it is checked just before that copy. */
  @Override
  public List<Created> creates(RsyncSpec s) {
    return List.of(Created.directory(s.to(), s.target()));
  }

  @Override
  public String preview(RsyncSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.from()
        + ":"
        + s.source()
        + "/ -> "
        + s.to()
        + ":"
        + s.target()
        + (RsyncRunner.onTarget(plan.host(s.from()), plan.host(s.to()), s.pullOrDefault())
            ? " (pulled by " + s.to() + ")"
            : "")
        + (s.deleteOrDefault() ? ", delete" : "")
        + (s.excludes().isEmpty() ? "" : ", exclude " + String.join(" ", s.excludes()))
        + (s.bwlimit() == null ? "" : ", " + s.bwlimit() + " KiB/s");
  }

  @Override
  public StepDone run(StepCall call, RsyncSpec spec) {
    RsyncResult result = call.activities(RsyncActivities.class).sync(request(call));
    return new StepDone(summary(result), null, result);
  }

  static RsyncRequest request(StepCall call) {
    RsyncSpec s = call.step().spec(RsyncSpec.class);
    return new RsyncRequest(
        call.step().name(),
        s.from(),
        call.plan().host(s.from()),
        s.source(),
        s.to(),
        call.plan().host(s.to()),
        s.target(),
        s.excludes(),
        Boolean.TRUE.equals(s.delete()),
        !Boolean.FALSE.equals(s.partial()),
        s.bwlimit(),
        Boolean.TRUE.equals(s.pull()),
        s.identity(),
        s.sudo());
  }

  /**
   * One line for status: what changed and what it cost, so the final sync can be judged from a
   * presync round.
   */
  public static String summary(RsyncResult r) {
    return String.format(
        java.util.Locale.ROOT,
        "%,d changed, %,d files sent (%s of %s) in %s",
        r.changedFiles(),
        r.filesTransferred(),
        ByteText.of(r.bytesTransferred()),
        ByteText.of(r.totalSize()),
        dev.cutover.plan.load.DurationText.format(java.time.Duration.ofMillis(r.durationMillis())));
  }
}
