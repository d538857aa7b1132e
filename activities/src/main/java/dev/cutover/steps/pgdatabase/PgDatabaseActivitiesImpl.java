package dev.cutover.steps.pgdatabase;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.postgres.PgEndpoint;
import dev.cutover.steps.postgres.PgQuote;
import dev.cutover.steps.postgres.PgRows;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.steps.postgres.PgSessions;
import io.temporal.failure.ApplicationFailure;
import java.util.List;

/**
 * Runs {@code pg-database} steps (see {@link PgDatabaseActivities}) through a session to the
 * server's {@code postgres} database, JDBC or psql on the host as the plan's database says. Every
 * name reaches SQL quoted ({@link PgQuote}); the owner's password reaches it only as a SCRAM
 * verifier ({@link ScramVerifier}).
 *
 * <p>Nothing is changed before every check has passed: the database's owner, encoding and locale
 * are read first, then the role is created or updated, then the database created. The role and its
 * mark are created in one transaction; CREATE DATABASE cannot run in one, so its mark follows at
 * once, and a database found without a mark but owned by a role this step created is taken as the
 * step's own (nobody else could have given it that owner).
 */
public class PgDatabaseActivitiesImpl implements PgDatabaseActivities {
  /** The database every server has, where roles and databases are created from. */
  static final String MAINTENANCE_DATABASE = "postgres";

  /** The heartbeat's details while a statement runs: one at a time, each short. */
  static final String RUNNING = "running a statement";

  /** SCRAM verifiers as passwords need PostgreSQL 10. */
  static final int MIN_VERSION = 100000;

  private final PgSessions sessions;
  private final SecretResolver secrets;

  public PgDatabaseActivitiesImpl(PgSessions sessions, SecretResolver secrets) {
    this.sessions = sessions;
    this.secrets = secrets;
  }

  @Override
  public PgDatabaseResult create(PgDatabaseRequest request) {
    Heartbeat<Object> heartbeat = Heartbeat.ofActivity();
    return create(request, () -> heartbeat.beat(RUNNING));
  }

  @Override
  public PgDatabaseDropResult drop(PgDatabaseRequest request) {
    Heartbeat<Object> heartbeat = Heartbeat.ofActivity();
    return drop(request, () -> heartbeat.beat(RUNNING));
  }

  /**
   * The comment that marks what this migration's run created. Not the step's name: the undo runs
   * under another name (STEP.undo). Two steps of a run giving one owner two databases both see the
   * role as the run's; the undos then drop the role with the last database it owns.
   */
  static String mark(PgDatabaseRequest request) {
    return "created by cutover, migration " + request.migration();
  }

  PgDatabaseResult create(PgDatabaseRequest request, Runnable beat) {
    return ShellFailures.inStep(
        request.step(),
        () -> {
          validate(request);
          String where =
              "step "
                  + request.step()
                  + " on the server "
                  + request.server().hostName()
                  + ":"
                  + request.server().portOrDefault();
          // Resolved before connecting: a missing secret is bad config, whatever the server says.
          String password =
              request.ownerPasswordSecret() == null ? null : ownerPassword(request, where);
          String database = request.server().database();
          String owner = request.owner();
          try (PgSession session = sessions.open(database, maintenance(request.server()), beat)) {
            if (session.serverVersionNum() < MIN_VERSION) {
              throw ApplicationFailure.newNonRetryableFailure(
                  where
                      + ": the server runs PostgreSQL "
                      + session.serverVersion()
                      + "; pg-database needs 10 or later",
                  CutoverErrors.DB_PREREQUISITE);
            }
            Existing role = role(session, owner);
            Existing db = database(session, request);
            if (db != null) {
              refuseConflicts(request, db, where);
            }

            String mark = mark(request);
            String verifier = password == null ? null : ScramVerifier.of(password);
            String login =
                "LOGIN" + (verifier == null ? "" : " PASSWORD " + PgQuote.literal(verifier));
            if (role == null) {
              session.execute(
                  "BEGIN;\nCREATE ROLE "
                      + PgQuote.ident(owner)
                      + " "
                      + login
                      + ";\nCOMMENT ON ROLE "
                      + PgQuote.ident(owner)
                      + " IS "
                      + PgQuote.literal(mark)
                      + ";\nCOMMIT;");
            } else {
              session.execute("ALTER ROLE " + PgQuote.ident(owner) + " " + login);
            }
            boolean createdRole = role == null || mark.equals(role.mark());
            if (db == null) {
              session.execute(createDatabase(request));
              session.execute(
                  "COMMENT ON DATABASE "
                      + PgQuote.ident(database)
                      + " IS "
                      + PgQuote.literal(mark));
              db = database(session, request);
            } else if (db.mark() == null && createdRole) {
              // Created by an attempt of this step that died before its mark: the owner did not
              // exist before this step.
              session.execute(
                  "COMMENT ON DATABASE "
                      + PgQuote.ident(database)
                      + " IS "
                      + PgQuote.literal(mark));
            }
            boolean createdDatabase = db.mark() == null ? createdRole : mark.equals(db.mark());
            return new PgDatabaseResult(
                database, owner, createdRole, createdDatabase, verifier != null, db.encoding());
          }
        });
  }

  PgDatabaseDropResult drop(PgDatabaseRequest request, Runnable beat) {
    return ShellFailures.inStep(
        request.step(),
        () -> {
          validate(request);
          String database = request.server().database();
          String owner = request.owner();
          String mark = mark(request);
          try (PgSession session = sessions.open(database, maintenance(request.server()), beat)) {
            Existing db = database(session, request);
            boolean droppedDatabase = false;
            if (db != null && mark.equals(db.mark())) {
              // No FORCE: a database someone is connected to is in use, and the step is retried
              // until it is not.
              session.execute("DROP DATABASE " + PgQuote.ident(database));
              droppedDatabase = true;
            }
            Existing role = role(session, owner);
            if (role == null || !mark.equals(role.mark())) {
              return new PgDatabaseDropResult(droppedDatabase, false, null);
            }
            long dependents =
                session
                    .query(
                        "SELECT count(*) FROM pg_shdepend WHERE refclassid = 'pg_authid'::regclass"
                            + " AND refobjid = (SELECT oid FROM pg_roles WHERE rolname = "
                            + PgQuote.literal(owner)
                            + ")")
                    .singleLong();
            if (dependents > 0) {
              return new PgDatabaseDropResult(
                  droppedDatabase,
                  false,
                  "role "
                      + owner
                      + " still owns or has rights on "
                      + dependents
                      + " objects (another database, or something granted to it since); kept");
            }
            session.execute("DROP ROLE " + PgQuote.ident(owner));
            return new PgDatabaseDropResult(droppedDatabase, true, null);
          }
        });
  }

  /** A role or database as found, with the comment that marks it as a step's. */
  private record Existing(
      String owner,
      String encoding,
      boolean sameEncoding,
      String collate,
      String ctype,
      String mark) {}

  private static Existing role(PgSession session, String owner) {
    PgRows rows =
        session.query(
            "SELECT shobj_description(oid, 'pg_authid') AS mark FROM pg_roles WHERE rolname = "
                + PgQuote.literal(owner));
    return rows.isEmpty() ? null : new Existing(owner, null, true, null, null, rows.get(0, "mark"));
  }

  private static Existing database(PgSession session, PgDatabaseRequest request) {
    String encoding = request.encoding() == null ? "NULL" : PgQuote.literal(request.encoding());
    PgRows rows =
        session.query(
            "SELECT pg_get_userbyid(datdba) AS owner, pg_encoding_to_char(encoding) AS encoding,"
                + " coalesce(pg_char_to_encoding("
                + encoding
                + ") = encoding, true) AS same_encoding, datcollate, datctype,"
                + " shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = "
                + PgQuote.literal(request.server().database()));
    if (rows.isEmpty()) {
      return null;
    }
    return new Existing(
        rows.get(0, "owner"),
        rows.get(0, "encoding"),
        "t".equals(rows.get(0, "same_encoding")),
        rows.get(0, "datcollate"),
        rows.get(0, "datctype"),
        rows.get(0, "mark"));
  }

  /** An existing database is accepted only as the step would have made it. */
  private static void refuseConflicts(PgDatabaseRequest request, Existing db, String where) {
    String database = request.server().database();
    String problem = null;
    if (!request.owner().equals(db.owner())) {
      problem =
          "it exists and is owned by "
              + db.owner()
              + ", not "
              + request.owner()
              + ". Give it to "
              + request.owner()
              + " by hand (ALTER DATABASE ... OWNER TO ...), drop it, or name another database";
    } else if (!db.sameEncoding()) {
      problem = "it exists with encoding " + db.encoding() + ", not " + request.encoding();
    } else if (request.locale() != null
        && !(request.locale().equals(db.collate()) && request.locale().equals(db.ctype()))) {
      problem =
          "it exists with locale "
              + db.collate()
              + (db.collate().equals(db.ctype()) ? "" : "/" + db.ctype())
              + ", not "
              + request.locale();
    }
    if (problem != null) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": database " + database + ": " + problem + "; nothing was changed",
          CutoverErrors.STATE_CONFLICT);
    }
  }

  private static String createDatabase(PgDatabaseRequest request) {
    StringBuilder sql =
        new StringBuilder("CREATE DATABASE ")
            .append(PgQuote.ident(request.server().database()))
            .append(" OWNER ")
            .append(PgQuote.ident(request.owner()));
    if (request.encoding() != null || request.locale() != null) {
      // template1 may hold another encoding or locale; template0 takes any.
      sql.append(" TEMPLATE template0");
    }
    if (request.encoding() != null) {
      sql.append(" ENCODING ").append(PgQuote.literal(request.encoding()));
    }
    if (request.locale() != null) {
      sql.append(" LC_COLLATE ")
          .append(PgQuote.literal(request.locale()))
          .append(" LC_CTYPE ")
          .append(PgQuote.literal(request.locale()));
    }
    return sql.toString();
  }

  /**
   * The plan's database entry, connected to the server's maintenance database instead (the new one
   * may not exist yet).
   */
  private static PgEndpoint maintenance(PgEndpoint server) {
    return new PgEndpoint(
        server.hostName(),
        server.host(),
        server.port(),
        MAINTENANCE_DATABASE,
        server.user(),
        server.passwordSecret(),
        server.access(),
        server.address());
  }

  private String ownerPassword(PgDatabaseRequest request, String where) {
    String value;
    try {
      value = secrets.resolve(request.ownerPasswordSecret());
    } catch (ApplicationFailure f) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": password of role " + request.owner() + ": " + f.getOriginalMessage(),
          f.getType());
    }
    if (value.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          where
              + ": password of role "
              + request.owner()
              + ": the secret "
              + request.ownerPasswordSecret()
              + " is empty",
          CutoverErrors.SECRET_UNAVAILABLE);
    }
    return value;
  }

  private static void validate(PgDatabaseRequest r) {
    List<String> problems = new java.util.ArrayList<>();
    if (r.server() == null || r.server().database() == null || r.server().database().isBlank()) {
      problems.add("no database is named");
    } else if (MAINTENANCE_DATABASE.equals(r.server().database())
        || r.server().database().startsWith("template")) {
      problems.add("database " + r.server().database() + " is the server's own");
    }
    if (r.owner() == null || r.owner().isBlank()) {
      problems.add("no owner is named");
    } else if (r.owner().startsWith("pg_")) {
      problems.add("role names starting with pg_ are reserved");
    }
    if (r.migration() == null || r.migration().isBlank()) {
      problems.add("the migration has no name");
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + r.step() + ": " + String.join("; ", problems), CutoverErrors.INVALID_CONFIG);
    }
  }
}
