package dev.cutover.workflow;

/** A request to abort: the one JSON argument of signal {@code abort} and update {@code abortMigration}. */
public record AbortRequest(String reason, String by) {}
