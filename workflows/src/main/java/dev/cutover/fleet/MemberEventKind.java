package dev.cutover.fleet;

/** What a member tells its fleet. */
public enum MemberEventKind {
  /** A gate opened and waits for approval ({@code gate} names it). */
  AT_GATE,
  /** A step's retries are spent and it waits for a decision ({@code step} names it). */
  BLOCKED,
  /** The blocked step was decided on, or the open gate approved; the member goes on. */
  RESUMED
}
