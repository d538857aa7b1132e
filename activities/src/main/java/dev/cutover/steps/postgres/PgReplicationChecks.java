package dev.cutover.steps.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What logical replication needs of a server, checked before anything is created, each problem a
 * sentence that says what to do. The setup and preflight ask the same questions.
 */
final class PgReplicationChecks {
  /**
   * Tables of the user's schemas that hold rows: what {@code FOR ALL TABLES} replicates (no system,
   * temporary or unlogged tables; partitions, not their partitioned parents).
   */
  static final String USER_TABLES =
      "c.relkind = 'r' and c.relpersistence = 'p' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_'";

  private PgReplicationChecks() {}

  /**
   * What keeps {@code s} from publishing {@code tables} (all when empty).
   *
   * @param createsPublication whether the publication must still be created (its rights are
   *     checked)
   * @param needsSlot whether a new slot must still be created (a free one is checked)
   */
  static List<String> publisher(
      PgSession s, List<String> tables, boolean createsPublication, boolean needsSlot) {
    List<String> problems = new ArrayList<>();
    PgVersion version = PgVersion.ofServer(s.serverVersionNum());
    if (!version.hasLogicalReplication()) {
      problems.add(
          s.describe() + " runs PostgreSQL " + version + "; logical replication needs 10 or newer");
      return problems;
    }
    PgRows settings =
        s.query(
            "select current_setting('wal_level') as wal_level, r.rolname, r.rolsuper, r.rolreplication,"
                + " current_setting('max_replication_slots')::int - (select count(*) from pg_replication_slots) as free_slots,"
                + " current_setting('max_replication_slots') as max_slots,"
                + " current_setting('max_wal_senders')::int - (select count(*) from pg_stat_replication) as free_senders,"
                + " current_setting('max_wal_senders') as max_senders,"
                + " has_database_privilege(current_database(), 'CREATE') as can_create"
                + " from pg_roles r where r.rolname = current_user");
    String walLevel = settings.get(0, "wal_level");
    String role = settings.get(0, "rolname");
    boolean superuser = "t".equals(settings.get(0, "rolsuper"));
    if (!"logical".equals(walLevel)) {
      problems.add(
          s.describe()
              + " has wal_level = "
              + walLevel
              + "; logical replication needs wal_level = logical:"
              + " ALTER SYSTEM SET wal_level = logical, then restart the server");
    }
    if (!superuser && !"t".equals(settings.get(0, "rolreplication"))) {
      problems.add(
          "role "
              + role
              + " on "
              + s.describe()
              + " may not replicate: ALTER ROLE "
              + PgQuote.ident(role)
              + " REPLICATION (or connect as a superuser)");
    }
    if (needsSlot && Long.parseLong(settings.get(0, "free_slots")) < 1) {
      problems.add(
          s.describe()
              + " has no free replication slot (max_replication_slots = "
              + settings.get(0, "max_slots")
              + ", all in use): drop unused slots or raise max_replication_slots and restart the server");
    }
    if (Long.parseLong(settings.get(0, "free_senders")) < 1) {
      problems.add(
          s.describe()
              + " has no free WAL sender (max_wal_senders = "
              + settings.get(0, "max_senders")
              + ", all in use): raise max_wal_senders and restart the server");
    }
    List<String> missing = missingTables(s, tables);
    missing.forEach(t -> problems.add("table " + t + " does not exist on " + s.describe()));
    if (createsPublication) {
      if (!"t".equals(settings.get(0, "can_create"))) {
        problems.add(
            "role "
                + role
                + " may not create a publication in "
                + s.describe()
                + ": GRANT CREATE ON DATABASE "
                + PgQuote.ident(s.endpoint().database())
                + " TO "
                + PgQuote.ident(role));
      }
      if (tables.isEmpty() && !superuser) {
        problems.add(
            "publishing all tables of "
                + s.describe()
                + " needs a superuser (FOR ALL TABLES): connect as one,"
                + " list the tables to publish (as their owner), or create the publication beforehand");
      }
      if (!tables.isEmpty() && !superuser) {
        notOwned(s, tables, missing)
            .forEach(
                t ->
                    problems.add(
                        "role "
                            + role
                            + " does not own table "
                            + t
                            + " on "
                            + s.describe()
                            + ": only its owner may publish it"));
      }
    }
    tablesWithoutIdentity(s, tables)
        .forEach(
            t ->
                problems.add(
                    "table "
                        + t
                        + " on "
                        + s.describe()
                        + " has no primary key"
                        + " or replica identity, so its updates and deletes cannot be replicated: add a primary key, or ALTER TABLE "
                        + PgQuote.qualified(t)
                        + " REPLICA IDENTITY FULL"));
    return problems;
  }

  /** What keeps {@code s}'s role from creating a subscription there. */
  static List<String> subscriber(PgSession s) {
    List<String> problems = new ArrayList<>();
    PgVersion version = PgVersion.ofServer(s.serverVersionNum());
    if (!version.hasLogicalReplication()) {
      problems.add(
          s.describe() + " runs PostgreSQL " + version + "; logical replication needs 10 or newer");
      return problems;
    }
    boolean sixteen = s.serverVersionNum() >= 160000;
    PgRows rights =
        s.query(
            "select r.rolname, r.rolsuper, has_database_privilege(current_database(), 'CREATE') as can_create, "
                + (sixteen
                    ? "pg_has_role(current_user, 'pg_create_subscription', 'USAGE')"
                    : "false")
                + " as may_subscribe"
                + " from pg_roles r where r.rolname = current_user");
    String role = rights.get(0, "rolname");
    if ("t".equals(rights.get(0, "rolsuper"))) {
      return problems;
    }
    if (!sixteen) {
      problems.add(
          "role "
              + role
              + " may not create subscriptions on "
              + s.describe()
              + ": PostgreSQL "
              + version
              + " lets only superusers (ALTER ROLE "
              + PgQuote.ident(role)
              + " SUPERUSER, or connect as one)");
    } else if (!"t".equals(rights.get(0, "may_subscribe"))
        || !"t".equals(rights.get(0, "can_create"))) {
      problems.add(
          "role "
              + role
              + " may not create subscriptions on "
              + s.describe()
              + ": GRANT pg_create_subscription TO "
              + PgQuote.ident(role)
              + " and GRANT CREATE ON DATABASE "
              + PgQuote.ident(s.endpoint().database())
              + " TO "
              + PgQuote.ident(role));
    }
    return problems;
  }

  /**
   * The tables of {@code tables} (all of the user's when empty) whose updates and deletes cannot be
   * replicated.
   */
  static List<String> tablesWithoutIdentity(PgSession s, List<String> tables) {
    return s.query(
            "select n.nspname || '.' || c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where "
                + USER_TABLES
                + scope(tables)
                + " and (c.relreplident = 'n'"
                + " or (c.relreplident = 'd' and not exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisprimary))"
                + " or (c.relreplident = 'i' and not exists (select 1 from pg_index i where i.indrelid = c.oid and i.indisreplident)))"
                + " order by 1")
        .column("t");
  }

  /**
   * Every table a publication of {@code tables} (all when empty) holds, as {@code schema.table}.
   */
  static List<String> publishedTables(PgSession s, List<String> tables) {
    if (!tables.isEmpty()) {
      return tables.stream().map(PgReplicationChecks::display).toList();
    }
    return s.query(
            "select n.nspname || '.' || c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where "
                + USER_TABLES
                + " order by 1")
        .column("t");
  }

  /** The tables of {@code tables} that {@code s} does not have. */
  static List<String> missingTables(PgSession s, List<String> tables) {
    if (tables.isEmpty()) {
      return List.of();
    }
    String names =
        tables.stream()
            .map(
                t -> "(" + PgQuote.literal(display(t)) + ", " + PgQuote.literal(qualified(t)) + ")")
            .collect(Collectors.joining(", "));
    return s.query(
            "select t.name from (values "
                + names
                + ") t(name, q) where to_regclass(t.q) is null order by 1")
        .column("name");
  }

  /** {@code schema.table} as plans and messages write it; a name without a schema is in public. */
  static String display(String table) {
    List<String> parts = PgQuote.split(table);
    return parts.size() == 1 ? "public." + parts.get(0) : String.join(".", parts);
  }

  /** A qualified name that always has its schema: what to_regclass and FOR TABLE are given. */
  static String qualified(String table) {
    List<String> parts = PgQuote.split(table);
    return parts.size() == 1
        ? PgQuote.ident("public") + "." + PgQuote.ident(parts.get(0))
        : PgQuote.qualified(table);
  }

  private static List<String> notOwned(PgSession s, List<String> tables, List<String> missing) {
    List<String> present = tables.stream().filter(t -> !missing.contains(display(t))).toList();
    if (present.isEmpty()) {
      return List.of();
    }
    String names =
        present.stream()
            .map(
                t -> "(" + PgQuote.literal(display(t)) + ", " + PgQuote.literal(qualified(t)) + ")")
            .collect(Collectors.joining(", "));
    return s.query(
            "select t.name from (values "
                + names
                + ") t(name, q) join pg_class c on c.oid = to_regclass(t.q)"
                + " where not pg_has_role(current_user, c.relowner, 'USAGE') order by 1")
        .column("name");
  }

  /** A filter to the listed tables; none when every table is in scope. */
  private static String scope(List<String> tables) {
    if (tables.isEmpty()) {
      return "";
    }
    return " and c.oid in ("
        + tables.stream()
            .map(t -> "coalesce(to_regclass(" + PgQuote.literal(qualified(t)) + "), 0)")
            .collect(Collectors.joining(", "))
        + ")";
  }
}
