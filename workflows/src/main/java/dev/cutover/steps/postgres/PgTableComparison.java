package dev.cutover.steps.postgres;

/**
 * One table compared between source and target. A table missing on one side has a count of -1
 * there.
 *
 * @param table the table ({@code schema.table})
 * @param sourceRows rows on the source
 * @param targetRows rows on the target
 * @param sourceChecksum content checksum on the source; {@code null} when not compared
 * @param targetChecksum content checksum on the target; {@code null} when not compared
 * @param matches whether counts (and checksums, when compared) are equal
 */
public record PgTableComparison(
    String table,
    long sourceRows,
    long targetRows,
    String sourceChecksum,
    String targetChecksum,
    boolean matches) {}
