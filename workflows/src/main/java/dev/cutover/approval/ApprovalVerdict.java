package dev.cutover.approval;

/** The judge's answer on one approval: who (when accepted) or why not. */
public record ApprovalVerdict(
    boolean accepted, String principal, String fingerprint, String reason) {}
