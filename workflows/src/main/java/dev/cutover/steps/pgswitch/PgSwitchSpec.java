package dev.cutover.steps.pgswitch;

import dev.cutover.plan.Database;
import dev.cutover.plan.Doc;
import dev.cutover.plan.PlanPatterns;
import dev.cutover.plan.SpecCheck;
import dev.cutover.steps.postgres.DatabaseSpec;
import dev.cutover.steps.postgres.PgReplicateSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The fields of a {@code pg-switch} step: the critical section of a database move, one prepared
 * unit with a deadline.
 */
public record PgSwitchSpec(
    @Doc(
            "The database (from databases) clients write to now: the publisher of a pg-replicate started before.")
        String from,
    @Doc("The database to switch to: the subscriber, caught up continuously before the step.")
        String to,
    @Doc("Longest time writes may stay frozen, 100ms to 60s (default 5s).") Duration deadline,
    @Doc(
            "When the deadline passes before the target caught up: abort (default: unfreeze the source, point back at it, fail the step) or go (finish anyway).")
        String onDeadline,
    @Doc(
            "Roles whose sessions on the source are cut at the freeze (default: every non-superuser session but cutover's own).")
        List<String> appRoles,
    @Doc("A PgBouncer clients wait at while it switches, instead of getting errors.")
        PgBouncerSpec bouncer,
    @Doc(
            "Commands run inside the section after the repoint (repoint or reload the application), on hosts reached before the freeze.")
        List<PgSwitchInsideSpec> inside,
    @Doc(
            "Copy sequence values to the target, which logical replication does not carry (default true).")
        Boolean copySequences,
    @Doc(
            "Start replicating back from the target to the source at the switch, so going back loses nothing (default true).")
        Boolean reverse,
    @Doc(
            "After the release, compare both sides as they were at the switch: checksums (default), counts or none.")
        String verify,
    @Doc("Read and replace the bouncer's config file through `sudo -n` (default: the host's sudo).")
        Boolean sudo)
    implements DatabaseSpec.Pair {
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);
  public static final Duration MIN_DEADLINE = Duration.ofMillis(100);
  public static final Duration MAX_DEADLINE = Duration.ofSeconds(60);
  public static final String ABORT = "abort";
  public static final String GO = "go";
  public static final List<String> ON_DEADLINE = List.of(ABORT, GO);
  public static final String CHECKSUMS = "checksums";
  public static final List<String> VERIFY = List.of(CHECKSUMS, "counts", "none");

  public PgSwitchSpec {
    appRoles = appRoles == null ? List.of() : List.copyOf(appRoles);
    inside = inside == null ? List.of() : List.copyOf(inside);
  }

  public Duration deadlineOrDefault() {
    return deadline == null ? DEFAULT_DEADLINE : deadline;
  }

  public boolean goOnDeadline() {
    return GO.equals(onDeadline);
  }

  public boolean copySequencesOrDefault() {
    return !Boolean.FALSE.equals(copySequences);
  }

  public boolean reverseOrDefault() {
    return !Boolean.FALSE.equals(reverse);
  }

  public String verifyOrDefault() {
    return verify == null ? CHECKSUMS : verify;
  }

  /** The hosts of the bouncer and the inside commands, each once. */
  @Override
  public List<String> hosts() {
    List<String> names = new ArrayList<>();
    if (bouncer != null && bouncer.host() != null) {
      names.add(bouncer.host());
    }
    for (PgSwitchInsideSpec c : inside) {
      if (c != null && c.host() != null && !names.contains(c.host())) {
        names.add(c.host());
      }
    }
    return names;
  }

  @Override
  public void validate(SpecCheck c) {
    c.databaseRef("from", from);
    c.databaseRef("to", to);
    c.require("from", from, "the database clients write to now");
    c.require("to", to, "the database to switch to");
    if (from != null && from.equals(to)) {
      c.report("to", "from and to are the same database");
    }
    if (deadline != null
        && (deadline.compareTo(MIN_DEADLINE) < 0 || deadline.compareTo(MAX_DEADLINE) > 0)) {
      c.report("deadline", "must be between 100ms and 60s: it is how long writes stay frozen");
    }
    if (onDeadline != null && !ON_DEADLINE.contains(onDeadline)) {
      c.report("onDeadline", "'" + onDeadline + "' is not abort or go");
    }
    if (verify != null && !VERIFY.contains(verify)) {
      c.report("verify", "'" + verify + "' is not checksums, counts or none");
    }
    checkRoles(c);
    checkBouncer(c);
    for (int i = 0; i < inside.size(); i++) {
      PgSwitchInsideSpec command = inside.get(i);
      if (command == null) {
        c.report("inside[" + i + "]", "an inside command needs host and command");
        continue;
      }
      if (command.host() == null) {
        c.report("inside[" + i + "]", "missing field 'host': the plan host the command runs on");
      }
      c.hostRef("inside[" + i + "].host", command.host());
      if (command.command() == null || command.command().isBlank()) {
        c.report("inside[" + i + "]", "missing field 'command': what to run on " + command.host());
      }
    }
    if (!c.isUndo() && from != null && to != null && !from.equals(to)) {
      checkReplicationStarted(c);
    }
  }

  private void checkRoles(SpecCheck c) {
    Database source = from == null ? null : c.plan().databases().get(from);
    for (int i = 0; i < appRoles.size(); i++) {
      String role = appRoles.get(i);
      if (role == null || !PlanPatterns.PG_NAME.matcher(role).matches()) {
        c.report("appRoles[" + i + "]", "'" + role + "' is not a role name");
      } else if (source != null && role.equals(source.userOrDefault())) {
        c.report(
            "appRoles[" + i + "]",
            "'"
                + role
                + "' is the role cutover connects to "
                + from
                + " as: the application needs a role of its own for its sessions to be cut and cutover's kept");
      }
    }
  }

  private void checkBouncer(SpecCheck c) {
    if (bouncer == null) {
      return;
    }
    c.require("bouncer.host", bouncer.host(), "the plan host PgBouncer runs on");
    c.hostRef("bouncer.host", bouncer.host());
    c.require("bouncer.adminUser", bouncer.adminUser(), "a user in PgBouncer's admin_users");
    c.require("bouncer.database", bouncer.database(), "the [databases] entry the application uses");
    c.require("bouncer.config", bouncer.config(), "the file holding that entry");
    c.absolute("bouncer.config", bouncer.config());
    if (bouncer.port() != null && (bouncer.port() < 1 || bouncer.port() > 65535)) {
      c.report("bouncer.port", bouncer.port() + " is not a port (1-65535)");
    }
    if (bouncer.adminPasswordSecret() != null && !c.secretKnown(bouncer.adminPasswordSecret())) {
      c.report(
          "bouncer.adminPasswordSecret",
          "names no entry under secrets"
              + c.declaredSecrets()
              + "; adminPasswordSecret is a secret's name, and secrets maps the name to env:NAME or file:/path");
    }
  }

  /**
   * The replication a pg-replicate start set up before this step is what the switch ends (a later
   * pg-replicate finish of it would find nothing). The replication back is the switch's own: its
   * undo ends it.
   */
  private void checkReplicationStarted(SpecCheck c) {
    Set<String> started = c.shared(PgReplicateSpec.class, HashSet::new);
    if (!started.remove(from + " -> " + to)) {
      c.report(
          null,
          "this pg-switch step switches from "
              + from
              + " to "
              + to
              + ", but no pg-replicate step before it starts a replication from "
              + from
              + " to "
              + to
              + "; add one (action start, the default in prepare and presync) in an earlier phase");
    }
  }
}
