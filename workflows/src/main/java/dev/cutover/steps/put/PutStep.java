package dev.cutover.steps.put;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.util.function.BiConsumer;

/**
 * The {@code put} step in the workflow; its undo puts the previous file back from the backup on the
 * host.
 */
public final class PutStep implements StepHandler<PutSpec> {
  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, PutSpec s, PhaseName phase, Plan plan) {
    needs.tools(s.host(), "sha256sum", "stat");
  }

  @Override
  public String preview(PutSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.path()
        + (s.contentSecret() != null
            ? " from secret " + s.contentSecret()
            : " (" + s.content().length() + " characters)")
        + (s.mode() == null ? "" : ", mode " + s.mode())
        + (s.owner() == null ? "" : ", owner " + s.owner());
  }

  /**
   * A completed migration needs no backups of the files its put steps replaced: they are removed.
   */
  @Override
  public void afterCompletion(Plan plan, BiConsumer<String, String> note) {
    PutCleanup.afterCompletion(plan, note);
  }

  @Override
  public StepDone run(StepCall call, PutSpec spec) {
    PutResult result = call.activities(PutActivities.class).put(request(call));
    String summary =
        result.path()
            + (result.changed() ? " written" : " already as planned")
            + (result.previousExisted()
                ? "; previous kept at " + result.backupPath()
                : "; it did not exist before");
    return new StepDone(summary, result.changed() ? PutUndo.of(result) : null, null);
  }

  @Override
  public StepDone undo(StepCall call, PutSpec spec, BuiltInUndo undo) {
    PutSpec s = call.step().spec(PutSpec.class);
    PutRestoreResult result =
        call.activities(PutActivities.class)
            .restore(
                new PutRestoreRequest(
                    call.step().name(),
                    s.host(),
                    call.plan().host(s.host()),
                    ((PutUndo) undo).put(),
                    s.sudo()));
    return StepDone.of(
        result.path()
            + (result.exists() ? " restored" : " removed")
            + (result.changed() ? "" : " (already so)"));
  }

  static PutRequest request(StepCall call) {
    PutSpec s = call.step().spec(PutSpec.class);
    // The activity gets the secret's reference, never its value.
    String contentRef =
        s.contentSecret() == null ? null : call.plan().secrets().get(s.contentSecret());
    return new PutRequest(
        call.migration(),
        call.step().name(),
        s.host(),
        call.plan().host(s.host()),
        s.path(),
        s.content(),
        contentRef,
        s.mode(),
        s.owner(),
        s.sudo());
  }
}
