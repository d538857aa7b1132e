package dev.cutover.steps.rsync;

import dev.cutover.plan.Host;

/**
 * Which host of an rsync copy runs rsync, as the worker runs it, preflight checks it and preview
 * shows it. With ssh to both hosts, the source pushes unless the step says {@code pull}; with ssh
 * to one only, the other is the worker's own machine, which runs rsync and reaches the far host the
 * way the worker does; with neither, one machine copies locally, started on the source.
 */
public final class RsyncRunner {
  private RsyncRunner() {}

  /**
   * Whether rsync runs on the target host and pulls, rather than on the source host and pushes.
   *
   * @param source the source host; {@code null} counts as local
   * @param target the target host; {@code null} counts as local
   * @param pull what the step asks for, which decides only when both hosts are reached over ssh
   */
  public static boolean onTarget(Host source, Host target, boolean pull) {
    boolean sourceSsh = source != null && source.usesSsh();
    boolean targetSsh = target != null && target.usesSsh();
    return sourceSsh && targetSsh ? pull : sourceSsh;
  }
}
