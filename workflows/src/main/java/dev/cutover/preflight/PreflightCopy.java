package dev.cutover.preflight;

import dev.cutover.plan.Host;
import dev.cutover.steps.rsync.RsyncRunner;

/**
 * A tree an rsync step copies: the target needs room for it, and the host that runs rsync must reach
 * the other one over ssh on its own.
 *
 * @param step the rsync step's name
 * @param fromName the source host's name
 * @param from the source host
 * @param source the directory to copy
 * @param toName the target host's name
 * @param to the target host
 * @param target the directory to copy into
 * @param pull whether rsync runs on the target host
 * @param identity the key the running host uses for the other; {@code null} for its own defaults
 * @param sudo whether rsync runs through sudo on the running host (then root's keys log in to the other)
 */
public record PreflightCopy(
    String step, String fromName, Host from, String source, String toName, Host to, String target, boolean pull, String identity,
    boolean sudo) {

  /** Whether rsync runs on the target host (see {@link RsyncRunner}). */
  public boolean runsOnTarget() {
    return RsyncRunner.onTarget(from, to, pull);
  }
}
