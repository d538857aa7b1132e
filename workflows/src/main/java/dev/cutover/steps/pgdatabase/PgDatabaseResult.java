package dev.cutover.steps.pgdatabase;

/**
 * What a pg-database step found and did.
 *
 * @param database the database's name
 * @param owner the role that owns it
 * @param createdRole whether this step (this attempt or an earlier one of the same run) created the
 *     role
 * @param createdDatabase whether this step created the database
 * @param passwordSet whether the role's password was set (it is on every run that has one)
 * @param encoding the database's encoding as the server reports it
 */
public record PgDatabaseResult(
    String database,
    String owner,
    boolean createdRole,
    boolean createdDatabase,
    boolean passwordSet,
    String encoding) {}
