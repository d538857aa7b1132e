package dev.cutover.cli.report;

import java.time.Instant;

/**
 * A signal or update an operator sent: approve, decide, abort.
 *
 * @param at when Temporal recorded it
 * @param kind approve, decide or abort
 * @param target the gate or step it names
 * @param action for decide: retry, skip or abort
 * @param comment the comment or abort reason
 * @param by who the payload says sent it
 * @param identity who Temporal recorded on the event
 * @param via signal or update
 * @param accepted whether the workflow acted on it; an ignored signal has {@code false}
 * @param answer why it was ignored, or what the workflow answered
 */
public record OperatorAction(
    Instant at,
    String kind,
    String target,
    String action,
    String comment,
    String by,
    String identity,
    String via,
    boolean accepted,
    String answer) {}
