package dev.cutover.preflight;

import dev.cutover.plan.Host;
import dev.cutover.steps.rsync.RsyncRunner;
import java.util.List;

/**
 * A tree an rsync step copies: the target needs room for it, and the host that runs rsync must
 * reach the other one over ssh on its own.
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
 * @param sudo whether rsync runs through sudo on the running host (then root's keys log in to the
 *     other)
 * @param excludes the step's excludes: the tree is sized as rsync will copy it, without them (added
 *     after v5: absent, and so empty, in earlier histories)
 */
public record PreflightCopy(
    String step,
    String fromName,
    Host from,
    String source,
    String toName,
    Host to,
    String target,
    boolean pull,
    String identity,
    boolean sudo,
    List<String> excludes) {

  public PreflightCopy {
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
  }

  /** A copy without excludes. */
  public PreflightCopy(
      String step,
      String fromName,
      Host from,
      String source,
      String toName,
      Host to,
      String target,
      boolean pull,
      String identity,
      boolean sudo) {
    this(step, fromName, from, source, toName, to, target, pull, identity, sudo, List.of());
  }

  /** Whether rsync runs on the target host (see {@link RsyncRunner}). */
  public boolean runsOnTarget() {
    return RsyncRunner.onTarget(from, to, pull);
  }
}
