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
 * @param answer what an accepted abort does (undo, or stop and hold), or where an approval of a
 *     gate under a policy leaves the gate
 * @param principal for an approval judged under a gate's policy: who it counted as (the plan's
 *     principal when verified, else the claimed identity)
 * @param fingerprint the signing key's fingerprint, when the approval was signed and verified
 * @param verified whether a signature proved who approved ({@code null}: no policy)
 * @param approvals approvals the gate has counted, this one included ({@code null}: no policy)
 * @param required approvals the gate needs ({@code null}: no policy)
 * @param stillNeeded approvers who could still approve while the gate has too few ({@code null}:
 *     no policy; bounded by the plan's approvers)
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
    String answer,
    String principal,
    String fingerprint,
    Boolean verified,
    Integer approvals,
    Integer required,
    java.util.List<String> stillNeeded) {
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
        answer,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** An approval a gate under a policy counted: whose, and how far the gate is. */
  static OperatorFact counted(ApproveRequest kept, GateApproval answer, String where) {
    return new OperatorFact(
        KIND,
        CutoverNames.SIGNAL_APPROVE,
        true,
        null,
        SignalLimits.shownName(kept.gate()),
        null,
        SignalLimits.clip(kept.comment(), SignalLimits.MAX_COMMENT_CHARS),
        SignalLimits.clip(kept.by(), SignalLimits.MAX_BY_CHARS),
        where,
        answer.principal(),
        answer.fingerprint(),
        answer.verified(),
        answer.approvals(),
        answer.required(),
        answer.stillNeeded());
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
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
