package dev.cutover.steps.put;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code put} step: a file written on a host (a configuration, a maintenance page), with its
 * mode and owner; the undo puts the previous file back.
 *
 * <p>Implementations must be idempotent (a file that already has the content, mode and owner is
 * left as it is and its backup is not overwritten), write atomically (a temporary file renamed into
 * place), quote every path and owner they put into a shell command, and raise {@link
 * io.temporal.failure.ApplicationFailure} with the types in {@link dev.cutover.steps.CutoverErrors}
 * for non-retryable errors (permission denied, an unknown owner, an unresolvable secret reference).
 */
@ActivityInterface
public interface PutActivities {
  /** Writes the file, keeping a backup of the previous one on the host. */
  @ActivityMethod(name = "PutFile")
  PutResult put(PutRequest request);

  /**
   * The undo: puts the previous file back from its backup, or removes the file if there was none.
   */
  @ActivityMethod(name = "PutRestore")
  PutRestoreResult restore(PutRestoreRequest request);

  /**
   * Once the migration has completed, removes the backups and absent markers its put steps left
   * beside their files (a directory like conf.d reads every file in it). Idempotent: what is gone
   * already is no error. Tries every file, then fails (retryably) naming those it could not clean.
   */
  @ActivityMethod(name = "PutCleanup")
  PutCleanupResult cleanup(PutCleanupRequest request);
}
