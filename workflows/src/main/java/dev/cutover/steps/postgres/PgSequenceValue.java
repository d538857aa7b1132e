package dev.cutover.steps.postgres;

/**
 * One sequence carried over to the target.
 *
 * @param sequence the sequence ({@code schema.sequence})
 * @param sourceValue its last value on the source
 * @param previousTargetValue its last value on the target before the copy
 * @param targetValue its value on the target after the copy
 */
public record PgSequenceValue(
    String sequence, long sourceValue, long previousTargetValue, long targetValue) {}
