package dev.cutover.workflow;

/** What the abort update tells the operator will happen: undo, or stop and hold. */
public record AbortAccepted(boolean undo, String message) {}
