package dev.cutover.workflow;

import java.time.Instant;

/** What {@code approveGate} returns to the approver. */
public record GateApproval(String gate, Instant approvedAt, String comment, String by) {}
