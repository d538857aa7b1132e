package dev.cutover.steps.postgres;

/**
 * A query and what its result must be. The endpoint carries a secret reference only; the query is
 * passed as the operator wrote it and must not contain secrets, since it is part of the history.
 *
 * @param step the step's name in the plan
 * @param endpoint the database to query
 * @param sql the query
 * @param expectRows the number of rows the query must return; {@code null} for no expectation
 * @param expectValue the text the first column of the first row must equal; {@code null} for no
 *     expectation
 */
public record SqlCheckRequest(
    String step, PgEndpoint endpoint, String sql, Integer expectRows, String expectValue) {}
