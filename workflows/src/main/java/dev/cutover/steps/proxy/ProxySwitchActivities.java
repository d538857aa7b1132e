package dev.cutover.steps.proxy;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code proxy-switch} step: the old host's nginx proxies to the new host, so traffic moves at
 * once without waiting for DNS.
 *
 * <p>Implementations must be idempotent (a site already in place is not written again and its
 * backup is not overwritten), quote every path they put into a shell command, never reload nginx
 * with a configuration that {@code nginx -t} refuses (the previous site is put back first), and
 * raise {@link io.temporal.failure.ApplicationFailure} with the types in {@link
 * dev.cutover.steps.CutoverErrors} for non-retryable errors (nginx missing, permission denied, a
 * configuration that does not pass the test).
 */
@ActivityInterface
public interface ProxySwitchActivities {
  /**
   * Keeps a backup of the current site, writes a site that proxies to the new host (passing the
   * Host header and the client's address), checks it with the test command and reloads nginx.
   */
  @ActivityMethod(name = "ProxySwitch")
  ProxySwitchResult switchToNew(ProxySwitchRequest request);

  /**
   * The undo: puts the site back as it was before the switch (removes it if there was none), checks
   * it and reloads nginx.
   */
  @ActivityMethod(name = "ProxyRestore")
  ProxyRestoreResult restore(ProxyRestoreRequest request);
}
