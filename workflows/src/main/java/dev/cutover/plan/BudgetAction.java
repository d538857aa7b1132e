package dev.cutover.plan;

/** What happens when the downtime clock passes the plan's budget. */
public enum BudgetAction {
  @Doc("Open the gate 'downtime-budget' and wait for an operator to approve going on, or abort.")
  ASK,
  @Doc("Abort the migration at once.")
  ABORT
}
