package dev.cutover.workflow;

/**
 * What the workflow made of one operator signal (approve, decide, abort, or one of a name it does
 * not know), recorded in the history as a marker so the report shows the judgement instead of
 * making its own. Texts are cut as status cuts them; an accepted signal's texts were already cut to
 * their limits before the run kept them.
 *
 * @param fact always {@link #KIND}
 * @param signal the signal's name (cut when it is no name of this workflow)
 * @param accepted whether the workflow acted on it
 * @param reason why it was ignored; {@code null} when accepted
 * @param target the gate or step it names, as the workflow read it
 * @param action for decide: retry, skip or abort
 * @param comment the comment, or an abort's reason
 * @param by who the payload says sent it
 * @param answer what an accepted abort does (undo, or stop and hold)
 */
public record OperatorFact(
    String fact,
    String signal,
    boolean accepted,
    String reason,
    String target,
    String action,
    String comment,
    String by,
    String answer) {
  /** The value of {@link #fact()}. */
  public static final String KIND = "operator-message";

  static OperatorFact accepted(
      String signal, String target, String action, String comment, String by, String answer) {
    return new OperatorFact(
        KIND,
        signal,
        true,
        null,
        SignalLimits.shownName(target),
        action,
        SignalLimits.clip(comment, SignalLimits.MAX_COMMENT_CHARS),
        SignalLimits.clip(by, SignalLimits.MAX_BY_CHARS),
        answer);
  }

  static OperatorFact ignored(
      String signal, String reason, String target, String action, String comment, String by) {
    return new OperatorFact(
        KIND,
        SignalLimits.shownName(signal),
        false,
        SignalLimits.clip(reason, Notes.MAX_DETAIL_CHARS),
        SignalLimits.shownName(target),
        action,
        SignalLimits.clip(comment, SignalLimits.MAX_COMMENT_CHARS),
        SignalLimits.clip(by, SignalLimits.MAX_BY_CHARS),
        null);
  }
}
