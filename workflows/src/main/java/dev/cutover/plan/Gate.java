package dev.cutover.plan;

import java.time.Duration;

@Doc("An approval a person gives before a phase starts.")
public record Gate(
    @Required @Doc("Name used to approve the gate.") String name,
    @Required @Doc("The phase the gate stands before.") String before,
    @Doc("What the approver should check first.") String description,
    @Doc(
            "Fail closed: abort the migration if nobody approves within this time after the gate opens.")
        Duration deadline,
    @Doc(
            "Who must approve, by signature: approvers from the plan's approvers and how many (absent: any approval counts, unsigned).")
        GateApprovalPolicy approval) {

  /**
   * The gate the workflow opens itself when the downtime budget is spent; plans cannot use the
   * name.
   */
  public static final String BUDGET = "downtime-budget";
}
