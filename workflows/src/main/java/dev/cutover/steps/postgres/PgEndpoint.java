package dev.cutover.steps.postgres;

import dev.cutover.plan.Host;

/**
 * A database on a host. The password is a secret reference such as {@code env:PG_PASSWORD} or
 * {@code file:/etc/cutover/pg-old}, resolved by the worker; never a value, so none enters the
 * history.
 *
 * @param hostName the host's name in the plan
 * @param host the host
 * @param port the server's port ({@code null} for 5432)
 * @param database the database name
 * @param user the role to connect as
 * @param passwordSecret reference to the role's password; {@code null} when the server trusts the
 *     connection (peer or certificate authentication)
 * @param access how the worker reaches the database ({@code null} for {@link PgAccess#JDBC})
 */
public record PgEndpoint(
    String hostName,
    Host host,
    Integer port,
    String database,
    String user,
    String passwordSecret,
    PgAccess access) {}
