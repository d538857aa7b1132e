package dev.cutover.steps.pgswitch;

import dev.cutover.steps.postgres.PgTableComparison;
import java.util.List;

/**
 * What the verify after a switch's release found, comparing the two databases as they were at the
 * switch instant (a snapshot on each, taken while the source was frozen and the target caught up).
 *
 * @param snapshot the snapshot exported on the target at the instant ({@code pg_export_snapshot})
 * @param checksums whether contents were compared (else row counts only)
 * @param tablesCompared how many tables were compared
 * @param differing the tables that differ; at most {@link #DIFFERING_KEPT}
 * @param differingTotal how many tables differ in all
 * @param millis how long the comparison took
 */
public record PgSwitchVerifyResult(
    String snapshot,
    boolean checksums,
    int tablesCompared,
    List<PgTableComparison> differing,
    int differingTotal,
    long millis) {
  /** Differing tables kept in the result (and a failure's details); the rest are counted. */
  public static final int DIFFERING_KEPT = 20;

  public PgSwitchVerifyResult {
    differing = differing == null ? List.of() : List.copyOf(differing);
  }

  public boolean matches() {
    return differingTotal == 0;
  }
}
