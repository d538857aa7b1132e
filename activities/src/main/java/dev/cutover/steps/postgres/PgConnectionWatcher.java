package dev.cutover.steps.postgres;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.Pause;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code pg-connections} step: waits until no client is connected to a database, and with
 * {@code terminate} ends the ones that stay past {@code terminateAfter}.
 *
 * <p>A client is a client backend on the database other than the step's own connection. Not
 * counted: replication (walsenders, which hold a slot; subscription workers), background processes,
 * and the plan's ignored users and applications. Without the privileges of the other roles ({@code
 * pg_read_all_stats}) the server hides their backend type and address: such a backend counts as a
 * client unless it holds a replication slot or serves a subscription, and shows as {@code user@?
 * application}.
 */
public class PgConnectionWatcher {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

  /** How many clients a heartbeat names: enough to see who is holding on. */
  static final int CLIENTS_SHOWN = 5;

  static final Duration AFTER_TERMINATE = Duration.ofMillis(200);

  private final PgSessions sessions;

  public PgConnectionWatcher(PgSessions sessions) {
    this.sessions = sessions;
  }

  /**
   * @param heartbeat gets a {@link PgConnectionsProgress} at every poll and while a statement runs;
   *     throws to cancel, as Temporal's heartbeat does
   */
  public PgConnectionsResult waitForNoConnections(
      PgConnectionsRequest request, Heartbeat<Object> heartbeat) {
    return ShellFailures.inStep(request.step(), () -> watch(request, heartbeat));
  }

  private PgConnectionsResult watch(PgConnectionsRequest request, Heartbeat<Object> heartbeat) {
    long started = System.nanoTime();
    Duration interval =
        request.pollInterval() == null
                || request.pollInterval().isZero()
                || request.pollInterval().isNegative()
            ? DEFAULT_INTERVAL
            : request.pollInterval();
    Duration terminateAfter =
        request.terminateAfter() == null ? Duration.ZERO : request.terminateAfter();
    String name = PgSessions.nameOf(request.endpoint());
    PgConnectionsProgress[] last = {new PgConnectionsProgress(0, List.of())};
    // Each backend once, though a terminated one may still be listed for a moment while it exits.
    Map<String, String> terminated = new LinkedHashMap<>();
    try (PgSession session =
        sessions.open(name, request.endpoint(), () -> heartbeat.beat(last[0]))) {
      String filter = filter(request);
      while (true) {
        PgRows clients = session.query(CLIENTS + filter + " order by backend_start, pid");
        if (clients.isEmpty()) {
          return new PgConnectionsResult(
              elapsedMillis(started), terminated.size(), List.copyOf(terminated.values()));
        }
        List<String> who = describe(clients);
        last[0] =
            new PgConnectionsProgress(
                (int) clients.rowCount(), who.subList(0, Math.min(CLIENTS_SHOWN, who.size())));
        heartbeat.beat(last[0]);
        if (request.terminate() && elapsedMillis(started) >= terminateAfter.toMillis()) {
          terminate(session, filter, terminated);
          // A terminated backend is listed until it has exited: look again shortly, not at once.
          pause(
              interval.compareTo(AFTER_TERMINATE) < 0 ? interval : AFTER_TERMINATE,
              () -> heartbeat.beat(last[0]));
          continue;
        }
        pause(interval, () -> heartbeat.beat(last[0]));
      }
    }
  }

  /** The clients on the step's database, as {@code pid, who}. */
  static final String CLIENTS =
      "select pid::text as pid, coalesce(usename, '?') || '@' || coalesce(host(client_addr),"
          + " case when client_port = -1 then 'local' else '?' end) || case when coalesce(application_name, '') = '' then ''"
          + " else ' ' || application_name end as who from pg_stat_activity";

  private static String filter(PgConnectionsRequest request) {
    StringBuilder where =
        new StringBuilder(
            " where datname = current_database() and pid <> pg_backend_pid()"
                // Hidden from a role without the others' privileges: backend_type is NULL then.
                + " and coalesce(backend_type, 'client backend') = 'client backend' and usename is not null"
                + " and pid not in (select active_pid from pg_replication_slots where active_pid is not null)"
                + " and pid not in (select pid from pg_stat_subscription where pid is not null)");
    if (!request.ignoreUsers().isEmpty()) {
      where.append(" and usename not in (").append(literals(request.ignoreUsers())).append(')');
    }
    if (!request.ignoreApplications().isEmpty()) {
      where
          .append(" and coalesce(application_name, '') not in (")
          .append(literals(request.ignoreApplications()))
          .append(')');
    }
    return where.toString();
  }

  /** Ends every client still there; those the server says it signalled are reported. */
  private static void terminate(PgSession session, String filter, Map<String, String> terminated) {
    PgRows ended;
    try {
      ended =
          session.query(
              "select pid, who, pg_terminate_backend(pid::int) as ended from ("
                  + CLIENTS
                  + filter
                  + ") c");
    } catch (ApplicationFailure f) {
      if (CutoverErrors.PERMISSION_DENIED.equals(f.getType())) {
        throw ApplicationFailure.newNonRetryableFailure(
            f.getOriginalMessage()
                + "; to terminate other roles' clients, the"
                + " step's user needs: grant pg_signal_backend to "
                + session.endpoint().user(),
            f.getType());
      }
      throw f;
    }
    for (List<String> row : ended.rows()) {
      if ("t".equals(row.get(2))) {
        terminated.putIfAbsent(row.get(0), row.get(1));
      }
    }
  }

  private static List<String> describe(PgRows clients) {
    return new ArrayList<>(clients.column("who"));
  }

  private static String literals(List<String> values) {
    return values.stream().map(PgQuote::literal).collect(Collectors.joining(", "));
  }

  /**
   * Sleeps the interval, beating in between, so a long interval does not miss the heartbeat
   * timeout.
   */
  private static void pause(Duration interval, Runnable beat) {
    long until = System.nanoTime() + interval.toNanos();
    long left;
    while ((left = until - System.nanoTime()) > 0) {
      Pause.sleep(
          Duration.ofMillis(
              Math.max(1, Math.min(left, HostShell.BEAT_EVERY.toNanos()) / 1_000_000)),
          "waiting for clients to leave");
      if (until - System.nanoTime() > 0) {
        beat.run();
      }
    }
  }

  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
