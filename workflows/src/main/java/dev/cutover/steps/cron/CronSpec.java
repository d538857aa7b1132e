package dev.cutover.steps.cron;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.HostPairSpec;
import java.util.regex.Pattern;

/** The fields of a {@code cron} step: move a user's crontab. */
public record CronSpec(
    @Doc("Run crontab through `sudo -n` (default: the host's sudo).") Boolean sudo,
    @Doc("The host whose crontab moves (from hosts).") String from,
    @Doc("The host it moves to (from hosts).") String to,
    @Doc("The user whose crontab moves.") String user,
    @Doc("Replace a different crontab already on the to host (default false: stop before changing anything).") Boolean replace)
    implements HostPairSpec {
  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}\\$?");

  public boolean replaceOrDefault() {
    return Boolean.TRUE.equals(replace);
  }

  @Override
  public void validate(SpecCheck c) {
    c.hostRef("from", from);
    c.hostRef("to", to);
    c.require("from", from, "the host whose crontab moves");
    c.require("to", to, "the host it moves to");
    c.require("user", user, "the user whose crontab moves");
    if (user != null && !USER.matcher(user).matches()) {
      c.report("user", "'" + user + "' is not a user name");
    }
    if (from != null && from.equals(to)) {
      c.report("to", "from and to are the same host; a crontab moves between two hosts");
    }
  }
}
