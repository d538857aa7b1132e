package dev.cutover.workflow;

/**
 * Which step an activity (or a wait step's timer) belongs to, as the workflow knows it when it
 * schedules it: recorded in the history (a header of the activity, a marker before the timer) so
 * the report reads it instead of parsing summaries. Names are the plan's, which the validator
 * bounds; nothing here is a secret.
 *
 * @param fact always {@link #KIND}, so a marker says what it holds
 * @param phase the phase the step belongs to ({@code prepare} for preflight)
 * @param step the step's name (for an undo, the step it undoes)
 * @param attempt the try: 1, or more after an operator decided retry (Temporal's own attempts are
 *     on its events)
 * @param round the presync round or monitor check; 0 in phases that do not repeat
 * @param undo whether this runs the step's undo
 * @param preflight whether this is the preflight check at the head of the run
 */
public record StepFact(
    String fact,
    String phase,
    String step,
    int attempt,
    int round,
    boolean undo,
    boolean preflight) {
  /** The activity header holding the fact, a JSON object. */
  public static final String HEADER = "cutover-step";

  /** The value of {@link #fact()}. */
  public static final String KIND = "step";

  static StepFact run(String phase, String step, int attempt, int round, boolean preflight) {
    return new StepFact(KIND, phase, step, attempt, round, false, preflight);
  }

  static StepFact undo(String phase, String step) {
    return new StepFact(KIND, phase, step, 1, 0, true, false);
  }
}
