package dev.cutover.steps.postgres;

import java.util.List;

/**
 * The database is free of clients.
 *
 * @param waitedMillis how long it took
 * @param terminated how many clients were terminated
 * @param terminatedClients who they were, as {@code user@address application}
 */
public record PgConnectionsResult(
    long waitedMillis, int terminated, List<String> terminatedClients) {

  public PgConnectionsResult {
    terminatedClients = terminatedClients == null ? List.of() : List.copyOf(terminatedClients);
  }
}
