package dev.cutover.steps;

import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsTarget;
import dev.cutover.steps.proxy.ProxySwitchRequest;
import java.util.List;

/**
 * What a step tells preflight it needs, before anything changes: hosts reachable with tools, room
 * and a path for a copy, DNS records as the plan expects them, databases and their rights. A
 * handler says it from its spec ({@link StepHandler#preflightNeeds}); preflight turns it into its
 * request. Every host a step names ({@code hosts()}) is checked for reachability without asking.
 */
public interface PreflightNeeds {
  /** The host must be reachable with its verified key and have these tools on its PATH. */
  void tools(String host, String... tools);

  /**
   * A tree rsync copies: the target needs room for it, the running host must reach the other.
   *
   * @param sudo whether rsync runs through sudo on the running host
   * @param excludes the step's excludes: the tree is sized as rsync copies it, without them
   */
  void copy(
      String step,
      String from,
      String source,
      String to,
      String target,
      boolean pull,
      String identity,
      boolean sudo,
      List<String> excludes);

  /**
   * An nginx site a proxy-switch replaces, as the step will: its file, link, directory and
   * configuration test.
   */
  void proxySwitch(ProxySwitchRequest request);

  /**
   * A record the step changes: its zone served, the key accepted, the record as the plan expects.
   *
   * @param expectedValues values the record may hold now; empty for no check
   * @param newValues values the step sets; empty for a TTL change, which needs the record to exist
   */
  void dns(
      String step,
      DnsTarget target,
      String name,
      DnsRecordType type,
      List<String> expectedValues,
      List<String> newValues);

  /** A database (from the plan's databases) the step logs in to. */
  void database(String name);

  /** The database publishes these tables (empty: all) for a replication. */
  void publishes(String database, List<String> tables);

  /** The database subscribes to a replication. */
  void subscribes(String database);

  /**
   * A dump and restore between two databases: pg_dump and pg_restore where they run, versions that
   * fit.
   */
  void databaseCopy(String step, String from, String to);

  /**
   * A PgBouncer the step holds clients at: its host reachable, the admin login, the entry served
   * and in its config file, the file replaceable by the step's login ({@code stepSudo}: the step's
   * own sudo setting, {@code null} for the host's).
   */
  default void bouncer(
      String step, dev.cutover.steps.pgswitch.PgBouncerSpec bouncer, Boolean stepSudo) {}
}
