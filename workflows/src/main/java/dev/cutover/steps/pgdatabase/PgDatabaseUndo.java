package dev.cutover.steps.pgdatabase;

import dev.cutover.plan.StepKind;
import dev.cutover.steps.BuiltInUndo;

/**
 * A pg-database step's undo: drop what the run created. It travels in the undo stack as {"kind":
 * "PG_DATABASE", "database": ...}. The drop decides from the marks on the server, so the result is
 * what the step reported, kept for the record.
 *
 * @param database what the step found and created; {@code null} for a step an abort cut short or
 *     that failed
 */
public record PgDatabaseUndo(StepKind kind, PgDatabaseResult database) implements BuiltInUndo {
  public static PgDatabaseUndo of(PgDatabaseResult result) {
    return new PgDatabaseUndo(StepKind.PG_DATABASE, result);
  }

  /** The undo of a step cut short or failed: no result was recorded. */
  public static PgDatabaseUndo cutShort() {
    return new PgDatabaseUndo(StepKind.PG_DATABASE, null);
  }
}
