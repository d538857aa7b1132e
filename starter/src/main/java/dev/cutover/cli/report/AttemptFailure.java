package dev.cutover.cli.report;

/**
 * The error of one failed attempt of an activity, as the history keeps it.
 *
 * @param attempt Temporal's attempt number
 * @param error the failure's message
 * @param errorType its type ({@code CommandFailed}, ...), or {@code null}
 */
public record AttemptFailure(int attempt, String error, String errorType) {}
