package dev.cutover.steps.postgres;

import java.util.List;

/**
 * Heartbeat details while waiting for clients to leave.
 *
 * @param connected how many clients are still connected
 * @param clients who they are, as {@code user@address application} (at most a few)
 */
public record PgConnectionsProgress(int connected, List<String> clients) {

  public PgConnectionsProgress {
    clients = clients == null ? List.of() : List.copyOf(clients);
  }
}
