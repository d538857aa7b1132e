package dev.cutover.steps.pgswitch;

import dev.cutover.steps.postgres.PgEndpoint;
import java.time.Duration;
import java.util.List;

/**
 * One switch, from the database clients write to now to the one that subscribes to it. The
 * endpoints and the bouncer carry secret references only.
 *
 * @param step the step's name in the plan
 * @param fromName the plan's name of the database switched from, for messages ({@code old-db})
 * @param from the database switched from: the publisher
 * @param toName the plan's name of the database switched to
 * @param to the database switched to: the subscriber, caught up continuously before the step
 * @param publication the publication on {@code from} (pg-replicate's name for it)
 * @param subscription the subscription on {@code to}, also its slot's name on {@code from}
 * @param deadline longest time writes may stay frozen
 * @param goOnDeadline what happens when the deadline passes before {@code to} has caught up: true
 *     waits on (bounded by the step's timeout), false unfreezes {@code from}, points the hold back
 *     at it and fails the step ({@code SwitchDeadlinePassed})
 * @param appRoles roles whose sessions on {@code from} are cut at the freeze; empty for every
 *     non-superuser session but cutover's own
 * @param bouncer where clients are held while it switches; {@code null} for nowhere (their sessions
 *     are cut and they reconnect where their own configuration says)
 * @param inside commands run inside the section after the repoint, on hosts reached before the
 *     freeze
 * @param copySequences whether sequence values are copied from {@code from} to {@code to}
 * @param reverse whether replication {@code to} -> {@code from} starts at the switch instant
 * @param verify {@code checksums}, {@code counts} or {@code none}: after the release, against
 *     snapshots of both sides taken at the switch instant
 * @param reversePublication the publication of the replication back, on {@code to}
 * @param reverseSubscription the subscription of the replication back, on {@code from}
 */
public record PgSwitchRequest(
    String step,
    String fromName,
    PgEndpoint from,
    String toName,
    PgEndpoint to,
    String publication,
    String subscription,
    Duration deadline,
    boolean goOnDeadline,
    List<String> appRoles,
    PgSwitchBouncer bouncer,
    List<PgSwitchCommand> inside,
    boolean copySequences,
    boolean reverse,
    String verify,
    String reversePublication,
    String reverseSubscription) {

  public PgSwitchRequest {
    appRoles = appRoles == null ? List.of() : List.copyOf(appRoles);
    inside = inside == null ? List.of() : List.copyOf(inside);
  }
}
