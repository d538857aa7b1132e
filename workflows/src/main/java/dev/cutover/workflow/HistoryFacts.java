package dev.cutover.workflow;

import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLocal;

/**
 * Facts the workflow records in the history for the report, beside the commands it issues anyway:
 * how it judged each operator signal, and which step a wait step's timer belongs to. Each is a
 * marker ({@code Workflow.sideEffect} of a {@link OperatorFact} or {@link StepFact}), a command
 * runs before this version did not issue, so they are behind the version marker {@link #CHANGE},
 * decided once at the start of the run: a run begun before it records none, all its life. (Which
 * step an activity belongs to needs no marker: it is the activity's header, {@link
 * StepFactHeader}.)
 */
public final class HistoryFacts {
  /** The version marker's change id; the report reads it to know a run records facts. */
  public static final String CHANGE = "operator-facts";

  /** Per run: whether it records facts; {@code null} until first asked. */
  private static final WorkflowLocal<Boolean> ON = WorkflowLocal.withCachedInitial(() -> null);

  private HistoryFacts() {}

  /**
   * Whether this run records facts. Asked first at the start of the run (or by a signal handled
   * before it), so the answer never changes within a run.
   */
  static boolean on() {
    Boolean on = ON.get();
    if (on == null) {
      on = Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == 1;
      ON.set(on);
    }
    return on;
  }

  /** Records how a signal was judged; called once for every signal the workflow handles. */
  static void operator(OperatorFact fact) {
    if (on()) {
      Workflow.sideEffect(OperatorFact.class, () -> fact);
    }
  }

  /** Records the step the next timer waits for (a wait step: a timer carries no header). */
  static void waitStep(StepFact fact) {
    if (on()) {
      Workflow.sideEffect(StepFact.class, () -> fact);
    }
  }
}
