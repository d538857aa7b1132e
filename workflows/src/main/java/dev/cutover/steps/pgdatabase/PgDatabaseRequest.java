package dev.cutover.steps.pgdatabase;

import dev.cutover.steps.postgres.PgEndpoint;

/**
 * A role and the database it owns.
 *
 * @param migration the migration's name and 8 characters of its first run's id: the mark left on
 *     what the step creates
 * @param step the step's name in the plan
 * @param server the plan's database entry: its name is the database to create, its user and
 *     password those of the administrator that creates it (connected to the server's {@code
 *     postgres} database); the password is a secret reference
 * @param owner the role that owns the database, created with LOGIN
 * @param ownerPasswordSecret reference to the owner's password ({@code env:...}, {@code file:...});
 *     {@code null} for a role without one (peer or certificate authentication)
 * @param encoding the database's encoding, like {@code UTF8}; {@code null} for the server's default
 * @param locale the database's collation and character classification, like {@code en_US.UTF-8};
 *     {@code null} for the server's default
 */
public record PgDatabaseRequest(
    String migration,
    String step,
    PgEndpoint server,
    String owner,
    String ownerPasswordSecret,
    String encoding,
    String locale) {}
