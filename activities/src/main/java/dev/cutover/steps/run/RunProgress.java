package dev.cutover.steps.run;

/** Heartbeat details of a running command; the Temporal UI shows them on the pending activity. */
public record RunProgress(long elapsedMillis, String lastLine) {}
