package dev.cutover.plan.load;

import java.time.Duration;

/**
 * What a plan may ask of the workflow, so that a plan which validates is one Temporal can hold.
 * docs/plan.md ("Limits") states the same figures for operators.
 */
public final class PlanLimits {
  /**
   * Every duration of a plan (timeouts, waits, intervals, deadlines, TTLs, budgets). Temporal
   * refuses timers and timeouts over 100 years, and the workflow adds durations to its clock and to
   * each other; ten years is far beyond any migration and leaves that arithmetic room.
   */
  public static final Duration MAX_DURATION = Duration.ofDays(3650);

  /**
   * How far a date-time may lie from the moment the plan is read, either way: the same ten years.
   */
  public static final Duration MAX_DATE_DISTANCE = MAX_DURATION;

  /**
   * The workflow input (the plan as the client serialises it). Temporal's default blob size limit
   * is 2 MiB; a continued run carries the plan again beside its checkpoint (budgeted at 256 KiB),
   * so the plan gets 2 MiB less 512 KiB, which leaves the checkpoint twice its budget.
   */
  public static final int MAX_INPUT_BYTES = 2 * 1024 * 1024 - 512 * 1024;

  /** Temporal's default limit on one payload, which the input must stay under. */
  public static final int TEMPORAL_BLOB_LIMIT_BYTES = 2 * 1024 * 1024;

  /**
   * The plan file: hand-written plans are a few KiB; anything this large is a mistake or an attack
   * on the parser.
   */
  public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;

  private PlanLimits() {}
}
