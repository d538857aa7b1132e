package dev.cutover.steps.postgres;

import java.util.List;

/**
 * What the setup created, so its undo removes exactly that.
 *
 * @param publication the publication's name
 * @param subscription the subscription's name
 * @param slot the slot's name
 * @param publicationCreated whether this step created the publication (false: it already existed)
 * @param subscriptionCreated whether this step created the subscription and its slot
 * @param schemaCopied whether the schema was copied to the target
 * @param tables the tables replicated
 * @param sourceVersion the source server's version
 * @param targetVersion the target server's version
 */
public record PgReplicationSetupResult(
    String publication,
    String subscription,
    String slot,
    boolean publicationCreated,
    boolean subscriptionCreated,
    boolean schemaCopied,
    List<String> tables,
    String sourceVersion,
    String targetVersion) {

  public PgReplicationSetupResult {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }
}
