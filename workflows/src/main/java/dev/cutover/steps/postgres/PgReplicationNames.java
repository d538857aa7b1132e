package dev.cutover.steps.postgres;

import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import java.util.Locale;

/**
 * The names of a replication's publication, subscription and slot. The start and the finish step of
 * one replication are two steps of the plan, so the names come from what both share: the migration
 * and the two databases, unless the plan names them.
 */
public record PgReplicationNames(String publication, String subscription) {
  /** PostgreSQL truncates identifiers at 63 bytes; a cut name keeps a hash of the whole. */
  static final int MAX_IDENTIFIER = 63;

  static final String REVERSE_SUFFIX = "_rev";

  public static PgReplicationNames of(Plan plan, PgReplicateSpec step) {
    PgReplicateSpec reverser = reverserOf(plan, step);
    if (reverser != null && step.publication() == null && step.subscription() == null) {
      // Ending the replication back that a finish with reverse started: it has that step's names.
      return of(plan, reverser).reversed();
    }
    String base =
        identifier(
            "cutover_" + plan.migration() + "_" + step.from() + "_" + step.to(),
            REVERSE_SUFFIX.length());
    return new PgReplicationNames(
        step.publication() != null ? step.publication() : base,
        step.subscription() != null ? step.subscription() : base);
  }

  /**
   * The finish step with reverse that started a replication from this step's from to its to, if
   * any.
   */
  private static PgReplicateSpec reverserOf(Plan plan, PgReplicateSpec step) {
    if (step.from() == null || step.to() == null) {
      return null;
    }
    for (dev.cutover.plan.PhaseName phase : plan.phases().present()) {
      for (Step s : plan.phases().stepsWithNested(phase)) {
        if (s.spec() instanceof PgReplicateSpec r
            && r.reverseOrDefault()
            && step.from().equals(r.to())
            && step.to().equals(r.from())) {
          return r;
        }
      }
    }
    return null;
  }

  /** The names of the replication back from the new database to the old one. */
  public PgReplicationNames reversed() {
    return new PgReplicationNames(
        identifier(publication, REVERSE_SUFFIX.length()) + REVERSE_SUFFIX,
        identifier(subscription, REVERSE_SUFFIX.length()) + REVERSE_SUFFIX);
  }

  /**
   * Lower case letters, digits and underscores, short enough to take {@code reserve} more
   * characters.
   */
  static String identifier(String raw, int reserve) {
    String clean = raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    int max = MAX_IDENTIFIER - reserve;
    if (clean.length() <= max) {
      return clean;
    }
    String hash = String.format("%08x", clean.hashCode());
    return clean.substring(0, max - hash.length() - 1) + "_" + hash;
  }
}
