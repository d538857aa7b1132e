package dev.cutover.steps.pgdatabase;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code pg-database} step: a login role and a database it owns, on a database server of the
 * plan, as runbooks do by hand before restoring into them ({@code create user ... with password
 * ...; create database ... owner ...}).
 *
 * <p>The role's password is a secret reference resolved in the worker; the server gets it already
 * hashed (a SCRAM-SHA-256 verifier made in the worker), so the password is neither in the history
 * nor in the server's statement log. What the step creates is marked on the server (a comment on
 * the role and on the database naming the migration's run), so a retry after a crash knows it made
 * them, and the undo drops only what carries its mark.
 *
 * <p>Implementations are idempotent: a role that exists gets its password (and LOGIN) set again; a
 * database that exists with the same owner (and encoding and locale, when asked) is accepted; a
 * database owned by another role stops the step with a non-retryable {@code StateConflict} before
 * anything is changed.
 */
@ActivityInterface
public interface PgDatabaseActivities {
  /** Creates (or accepts) the role and the database it owns. */
  @ActivityMethod(name = "PgDatabaseCreate")
  PgDatabaseResult create(PgDatabaseRequest request);

  /**
   * The undo: drops the database, then the role, each only if it carries this run's mark. A role
   * that still owns or holds rights on objects elsewhere is kept, and the result says why.
   */
  @ActivityMethod(name = "PgDatabaseDrop")
  PgDatabaseDropResult drop(PgDatabaseRequest request);
}
