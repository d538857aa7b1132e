package dev.cutover.preflight;

import dev.cutover.steps.postgres.PgEndpoint;
import java.util.List;

/**
 * A database the plan's steps use, and what they need of it. Every database is checked for
 * connection, password and existence; the flags add the checks of logical replication.
 *
 * @param name the database's name in the plan
 * @param endpoint how to reach it (secret references only)
 * @param publishes whether a replication publishes from it: wal_level=logical, a role with
 *     replication rights, every published table with a primary key or replica identity
 * @param subscribes whether a replication subscribes on it: a role that may create subscriptions
 * @param tables the tables it publishes ({@code schema.table}); empty for all
 */
public record PreflightDatabase(
    String name, PgEndpoint endpoint, boolean publishes, boolean subscribes, List<String> tables) {
  public PreflightDatabase {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }
}
