package dev.cutover.steps.pgdatabase;

/**
 * What the undo of a pg-database step dropped.
 *
 * @param droppedDatabase whether the database was dropped (false: it was not this step's, or is
 *     gone)
 * @param droppedRole whether the role was dropped
 * @param keptRole why the role was kept, when the step had created it; {@code null} otherwise
 */
public record PgDatabaseDropResult(boolean droppedDatabase, boolean droppedRole, String keptRole) {}
