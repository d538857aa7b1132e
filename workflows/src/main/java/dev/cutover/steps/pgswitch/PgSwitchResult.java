package dev.cutover.steps.pgswitch;

import java.util.List;

/**
 * What a switch did, measured inside its section.
 *
 * @param frozenMillis from the freeze to the release: how long clients could not write (held, or
 *     refused without a hold)
 * @param caughtUpLsn the position on {@code from} the target had applied when the section went on
 * @param sequencesCopied how many sequence values were copied
 * @param sessionsCut the sessions cut at the freeze, as {@code role@address (application)}; at most
 *     {@link #SESSIONS_KEPT}
 * @param sessionsCutTotal how many sessions were cut in all
 * @param holdDescription where clients were held ({@code pgbouncer on old:6432}), or {@code null}
 *     when nowhere
 * @param deadlinePassed whether the deadline passed before the target caught up (with go: the
 *     section finished anyway)
 * @param rolledForward whether this attempt finished a switch an earlier attempt had committed
 * @param reversePublication the publication of the replication back; {@code null} without one
 * @param reverseSubscription the subscription of the replication back; {@code null} without one
 * @param afterRelease what was done after the release (the verify against the switch snapshots),
 *     for the summary; {@code null} for nothing
 */
public record PgSwitchResult(
    long frozenMillis,
    String caughtUpLsn,
    int sequencesCopied,
    List<String> sessionsCut,
    int sessionsCutTotal,
    String holdDescription,
    boolean deadlinePassed,
    boolean rolledForward,
    String reversePublication,
    String reverseSubscription,
    String afterRelease) {
  /** Sessions named in the result; the rest are counted. */
  public static final int SESSIONS_KEPT = 20;

  public PgSwitchResult {
    sessionsCut = sessionsCut == null ? List.of() : List.copyOf(sessionsCut);
  }
}
