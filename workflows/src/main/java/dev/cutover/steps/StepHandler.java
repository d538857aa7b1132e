package dev.cutover.steps;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepSpec;
import dev.cutover.steps.dns.DnsLedger;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The workflow side of one step kind: builds the activity requests from the step's spec, calls the
 * activities and says how to undo what they did. Runs in workflow code, so it must be
 * deterministic: no I/O, no clocks, no randomness.
 *
 * @param <S> the kind's spec record
 */
public interface StepHandler<S extends StepSpec> {
  /**
   * Runs the step's activities; an {@link io.temporal.failure.ActivityFailure} propagates to the
   * executor.
   */
  StepDone run(StepCall call, S spec);

  /**
   * Whether {@link #run} runs in the scope an abort cancels (activities). A kind that only waits on
   * a durable timer answers false: the timer ends by itself when the run aborts.
   */
  default boolean runsInScope() {
    return true;
  }

  /**
   * What must happen before the step's activities, outside the scope an abort cancels: a durable
   * wait the step needs first (dns-set: until caches dropped a TTL before it was lowered).
   */
  default void beforeRun(StepWaits waits, DnsLedger dns, Step step, S spec) {}

  /**
   * Work this kind's earlier steps leave for the end of the finish phase, in order; none by
   * default.
   */
  default List<FinishWork> finishWork(Plan plan, DnsLedger dns) {
    return List.of();
  }

  /**
   * What this kind does once the whole migration has completed (put: remove the backups its steps
   * kept); {@code note} takes a note for status (its kind, then the detail). Nothing by default.
   */
  default void afterCompletion(Plan plan, BiConsumer<String, String> note) {}

  /**
   * Whether a plan with a step of this kind needs preflight even when all its hosts are local:
   * false for kinds that reach no host of the plan or need nothing checked first (run, wait, http,
   * tls, notify).
   */
  default boolean needsPreflight() {
    return true;
  }

  /**
   * What the step needs checked before anything changes, from its spec: tools, copies, records,
   * databases. Its hosts' reachability is checked without asking.
   *
   * @param phase the phase the step is in (an undo: the phase of the step it undoes)
   */
  default void preflightNeeds(
      PreflightNeeds needs, Step step, S spec, PhaseName phase, Plan plan) {}

  /** What the step creates, so a later step's need for it is checked just before that step. */
  default List<Created> creates(S spec) {
    return List.of();
  }

  /**
   * What {@code cutover preview} shows of the step after its kind and host: what it will do, in a
   * few words, like " old:/srv/ -> new:/srv, delete". Starts with a space when not empty.
   */
  default String preview(S spec, PhaseName phase, Plan plan) {
    return "";
  }

  /**
   * The lines {@code cutover preview} shows for {@link #finishWork}, as far as the plan alone
   * tells.
   */
  default List<String> finishPreview(Plan plan) {
    return List.of();
  }

  /**
   * The undo of a step an abort cut short, when it may have changed something before it stopped: a
   * built-in undo without a recorded result, which {@link #undo} must handle from the host's state.
   * {@code null} when there is nothing to revert.
   */
  default BuiltInUndo undoIfCutShort(Step step, S spec) {
    return null;
  }

  /**
   * Whether a failed step of this kind (blocked then skipped or aborted, or failed with onFailure
   * continue or abort) records its cut-short undo: kinds whose change may be made before the step
   * fails (a record set but not yet seen on every server, a site written but not reloaded) and
   * whose undo works from the host or the run's record alone.
   */
  default boolean undoWhenFailed() {
    return false;
  }

  /**
   * Whether a step of this kind in a repeating phase (presync, monitor) records its built-in undo,
   * once for all its rounds; other kinds record none there, since one undo per round would run many
   * times on abort.
   */
  default boolean undoOnceWhenRepeated() {
    return false;
  }

  /**
   * Reverts a finished step from what its run recorded (or, for a step cut short, from its plan
   * alone). Only called with an undo this handler returned.
   */
  default StepDone undo(StepCall call, S spec, BuiltInUndo undo) {
    throw new IllegalStateException(
        "step kind " + call.step().kind().yamlName() + " has no built-in undo");
  }
}
