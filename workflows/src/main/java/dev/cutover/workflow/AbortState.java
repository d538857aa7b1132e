package dev.cutover.workflow;

/**
 * Whether the run is aborting and why, and whether it passed the point of no return, after which an
 * abort stops and holds instead of undoing. Every part of the run asks here before it goes on.
 */
final class AbortState {
  private boolean requested;
  private String reason;
  private boolean pointOfNoReturnPassed;

  AbortState(Checkpoint checkpoint) {
    pointOfNoReturnPassed = checkpoint != null && checkpoint.pointOfNoReturnPassed();
  }

  boolean requested() {
    return requested;
  }

  /** Why the run aborts; {@code null} while it does not. */
  String reason() {
    return reason;
  }

  /** Aborts for this reason, which replaces any earlier one (the run's own limits speak last). */
  void request(String why) {
    requested = true;
    reason = why;
  }

  /** Aborts for this reason unless the run already aborts: then the first reason stands. */
  boolean requestUnlessAborting(String why) {
    if (requested) {
      return false;
    }
    request(why);
    return true;
  }

  /** Unwinds to the rollback if an abort was asked for. */
  void throwIfRequested() {
    if (requested) {
      throw new Aborted();
    }
  }

  boolean pointOfNoReturnPassed() {
    return pointOfNoReturnPassed;
  }

  void passPointOfNoReturn() {
    pointOfNoReturnPassed = true;
  }
}
