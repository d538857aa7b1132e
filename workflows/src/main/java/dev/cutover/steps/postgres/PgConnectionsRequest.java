package dev.cutover.steps.postgres;

import java.time.Duration;
import java.util.List;

/**
 * Wait until nobody is connected to a database. The endpoint carries a secret reference only; the
 * step's own connection is never counted.
 *
 * @param step the step's name in the plan
 * @param endpoint the database to watch
 * @param ignoreUsers roles whose connections do not count (for example a monitoring role)
 * @param ignoreApplications {@code application_name}s whose connections do not count
 * @param terminate whether remaining clients are terminated ({@code pg_terminate_backend}) instead
 *     of waited for
 * @param terminateAfter with {@code terminate}, how long to wait before terminating ({@code null}
 *     for at once)
 * @param pollInterval how often connections are counted ({@code null} for 2s)
 */
public record PgConnectionsRequest(
    String step,
    PgEndpoint endpoint,
    List<String> ignoreUsers,
    List<String> ignoreApplications,
    boolean terminate,
    Duration terminateAfter,
    Duration pollInterval) {

  public PgConnectionsRequest {
    ignoreUsers = ignoreUsers == null ? List.of() : List.copyOf(ignoreUsers);
    ignoreApplications = ignoreApplications == null ? List.of() : List.copyOf(ignoreApplications);
  }
}
