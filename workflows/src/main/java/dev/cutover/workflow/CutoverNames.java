package dev.cutover.workflow;

/** Names shared by the worker, the CLI and anyone sending signals by hand. */
public final class CutoverNames {
  /** One queue: every cutover workflow and activity runs on the cutover worker. */
  public static final String TASK_QUEUE = "cutover";

  public static final String SIGNAL_APPROVE = "approve";
  public static final String UPDATE_APPROVE = "approveGate";
  public static final String SIGNAL_DECIDE = "decide";
  public static final String UPDATE_DECIDE = "decideStep";
  public static final String SIGNAL_ABORT = "abort";
  public static final String UPDATE_ABORT = "abortMigration";
  public static final String QUERY_STATUS = "status";

  /**
   * The gate the workflow opens by itself when the downtime budget is spent and the plan says ask.
   */
  public static final String BUDGET_GATE = dev.cutover.plan.Gate.BUDGET;

  private CutoverNames() {}

  /**
   * The business workflow id of a migration: its name, so a second start of the same plan is
   * refused.
   */
  public static String workflowId(String migration) {
    return "cutover-" + migration;
  }
}
