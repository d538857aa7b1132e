package dev.cutover.steps.http;

/**
 * What the check saw.
 *
 * @param status the response's status
 * @param address the address connected to
 * @param bodyMatched whether the body matched the pattern (true when there was none)
 * @param bodyExcerpt the start of the body, bounded, to show why a check failed
 * @param durationMillis how long the request took
 */
public record HttpCheckResult(
    int status, String address, boolean bodyMatched, String bodyExcerpt, long durationMillis) {}
