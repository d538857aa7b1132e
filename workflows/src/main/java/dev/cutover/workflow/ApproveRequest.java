package dev.cutover.workflow;

/** Approval of a gate: the one JSON argument of signal {@code approve} and update {@code approveGate}. */
public record ApproveRequest(String gate, String comment, String by) {}
