package dev.cutover.workflow;

/**
 * One approval judged under a gate's policy: {@code problem} says why it does not count, else
 * {@code approver} is who it counts as; both {@code null} when the gate has no policy.
 */
record GateJudgement(String problem, GateApprover approver) {}
