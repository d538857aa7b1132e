package dev.cutover.steps.proxy;

import dev.cutover.hosts.Sh;
import dev.cutover.testing.RewritingShells;

/**
 * Local shells whose scripts run as another, unprivileged user (through runuser): a login without
 * sudo.
 */
final class AsUserShells extends RewritingShells {
  AsUserShells(String user) {
    super(
        c ->
            c.withScript(
                "exec runuser -u " + Sh.quote(user) + " -- /bin/sh -c " + Sh.quote(c.script())));
  }
}
