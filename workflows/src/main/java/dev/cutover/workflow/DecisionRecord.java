package dev.cutover.workflow;

import java.time.Instant;

/** A decision as the run recorded it, for status and the report. */
public record DecisionRecord(
    String step, DecisionAction action, String comment, String by, Instant at) {}
