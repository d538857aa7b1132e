package dev.cutover.steps.pgswitch;

import dev.cutover.steps.postgres.PgSession;

/**
 * What a switch does at its instant and after its release, plugged into {@link SwitchSection}: at
 * the instant the source is frozen and the target has applied all of it, so both hold the same
 * rows; snapshots taken then, and a replication back started then, lose nothing.
 */
public interface SwitchInstant extends AutoCloseable {
  /**
   * Inside the freeze, after the sequences and before the commit point (the subscription dropped).
   * Costs the clients its time: keep it to a few statements. Must be idempotent: an attempt that
   * died before the commit point runs it again.
   *
   * @param from the session on the database switched from (frozen, caught up)
   * @param to the session on the database switched to
   */
  void atInstant(PgSession from, PgSession to);

  /**
   * A retry finishing a switch an earlier attempt committed (the subscription is gone): whatever
   * {@link #atInstant} set up that is missing. The instant itself is past; by default, the same.
   */
  default void onRollForward(PgSession from, PgSession to) {
    atInstant(from, to);
  }

  /**
   * After the release, out of the window (the verify against the snapshots): returns a few words
   * for the step's summary, or {@code null} for nothing to say. A failure here fails the step with
   * the switch done.
   */
  String afterRelease();

  /**
   * Ends what it holds open (the snapshot transactions), also when the section failed before the
   * release; never throws.
   */
  @Override
  default void close() {}

  /** Nothing at the instant, nothing after. */
  static SwitchInstant none() {
    return new SwitchInstant() {
      @Override
      public void atInstant(PgSession from, PgSession to) {}

      @Override
      public String afterRelease() {
        return null;
      }
    };
  }
}
