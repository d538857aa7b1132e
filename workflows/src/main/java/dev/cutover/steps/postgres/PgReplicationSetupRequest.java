package dev.cutover.steps.postgres;

import java.util.List;

/**
 * Logical replication to set up from {@code source} to {@code target}. The endpoints carry secret
 * references only; the subscription's connection string is built inside the worker from the
 * resolved password and never leaves it.
 *
 * @param step the step's name in the plan
 * @param source the publishing database (the old one; the new one for reverse replication)
 * @param target the subscribing database
 * @param publication the publication's name on the source
 * @param subscription the subscription's name on the target (its slot on the source has the same
 *     name unless {@code slot} is set)
 * @param slot the replication slot's name on the source; {@code null} for the subscription's name
 * @param tables tables to publish ({@code schema.table}); empty for all tables
 * @param copySchema whether the schema is copied to the target first
 * @param copyData whether the subscription copies the existing rows; false for reverse replication
 *     after go-live, where both sides already hold them
 */
public record PgReplicationSetupRequest(
    String step,
    PgEndpoint source,
    PgEndpoint target,
    String publication,
    String subscription,
    String slot,
    List<String> tables,
    boolean copySchema,
    boolean copyData) {

  public PgReplicationSetupRequest {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }
}
