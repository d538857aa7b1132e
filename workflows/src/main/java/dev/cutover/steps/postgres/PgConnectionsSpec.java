package dev.cutover.steps.postgres;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import java.time.Duration;
import java.util.List;

/** The fields of a {@code pg-connections} step: wait until no client is connected to a database. */
public record PgConnectionsSpec(
    @Doc("The database (from databases) to watch.") String database,
    @Doc("Roles whose connections do not count.") List<String> ignoreUsers,
    @Doc("Application names whose connections do not count.") List<String> ignoreApplications,
    @Doc(
            "Terminate the clients still connected instead of waiting for them to leave (default false).")
        Boolean terminate,
    @Doc("With terminate, how long clients get to leave first (default: terminate at once).")
        Duration terminateAfter,
    @Doc("How often connections are counted (default 2s).") Duration interval)
    implements DatabaseSpec {
  public PgConnectionsSpec {
    ignoreUsers = ignoreUsers == null ? List.of() : List.copyOf(ignoreUsers);
    ignoreApplications = ignoreApplications == null ? List.of() : List.copyOf(ignoreApplications);
  }

  @Override
  public String placeText() {
    return database;
  }

  @Override
  public void validate(SpecCheck c) {
    c.databaseRef("database", database);
    c.require("database", database, "the database to watch");
    c.positive("terminateAfter", terminateAfter);
    c.positive("interval", interval);
    if (terminateAfter != null && !Boolean.TRUE.equals(terminate)) {
      c.report(
          "terminateAfter",
          "terminateAfter needs terminate: true; without it the step waits for clients to leave");
    }
  }
}
