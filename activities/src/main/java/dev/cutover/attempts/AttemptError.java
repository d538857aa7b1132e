package dev.cutover.attempts;

/**
 * One failed attempt of an activity, as a later attempt carries it on.
 *
 * @param attempt Temporal's attempt number
 * @param type the failure's type ({@code CommandFailed}, ...), or the exception's name
 * @param error its message, cut to {@link AttemptErrors#MAX_ERROR} characters
 */
public record AttemptError(int attempt, String type, String error) {}
