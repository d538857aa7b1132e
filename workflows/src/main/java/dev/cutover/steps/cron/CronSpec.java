package dev.cutover.steps.cron;

import dev.cutover.plan.Doc;
import dev.cutover.plan.HostPairSpec;
import dev.cutover.plan.SpecCheck;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fields of a {@code cron} step: move a user's crontab, or (action remove) save and remove it
 * on one host.
 */
public record CronSpec(
    @Doc("Run crontab through `sudo -n` (default: the host's sudo).") Boolean sudo,
    @Doc("The host whose crontab moves (from hosts).") String from,
    @Doc("The host it moves to (from hosts).") String to,
    @Doc("The user whose crontab moves (or, with action remove, is removed).") String user,
    @Doc(
            "Replace a different crontab already on the to host (default false: stop before changing anything).")
        Boolean replace,
    @Doc(
            "move (default): the crontab moves from one host to another. remove: it is saved and removed on host; the undo puts it back.")
        String action,
    @Doc("remove: the host whose crontab is removed (from hosts).") String host)
    implements HostPairSpec {
  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}\\$?");
  public static final String MOVE = "move";
  public static final String REMOVE = "remove";
  static final List<String> ACTIONS = List.of(MOVE, REMOVE);

  /** Whether the step removes a crontab on one host instead of moving it. */
  public boolean removes() {
    return REMOVE.equals(action);
  }

  public boolean replaceOrDefault() {
    return Boolean.TRUE.equals(replace);
  }

  @Override
  public List<String> hosts() {
    return removes() ? (host == null ? List.of() : List.of(host)) : HostPairSpec.super.hosts();
  }

  @Override
  public String placeText() {
    return removes() ? host : HostPairSpec.super.placeText();
  }

  @Override
  public void validate(SpecCheck c) {
    if (action != null && !ACTIONS.contains(action)) {
      c.report(
          "action",
          "'" + action + "' is not a cron action; use one of: " + String.join(", ", ACTIONS));
      return;
    }
    if (removes()) {
      validateRemove(c);
      return;
    }
    if (host != null) {
      c.report("host", "field 'host' is for action remove; a move names from and to");
    }
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

  private void validateRemove(SpecCheck c) {
    c.hostRef("host", host);
    c.require("host", host, "the host whose crontab is removed");
    c.require("user", user, "the user whose crontab is removed");
    if (user != null && !USER.matcher(user).matches()) {
      c.report("user", "'" + user + "' is not a user name");
    }
    for (String[] moveOnly :
        new String[][] {{"from", from}, {"to", to}, {"replace", replace == null ? null : "x"}}) {
      if (moveOnly[1] != null) {
        c.report(moveOnly[0], "field '" + moveOnly[0] + "' is for a move; a remove names its host");
      }
    }
  }
}
