package dev.cutover.steps.postgres;

import java.util.List;

/**
 * A database to copy with pg_dump and pg_restore. The endpoints carry secret references only.
 *
 * @param step the step's name in the plan
 * @param source the database to dump
 * @param target the database to restore into; a retry restores it clean
 * @param jobs parallel jobs for the restore ({@code null} or 1 for one)
 * @param noOwner whether object ownership is left out ({@code --no-owner})
 * @param noPrivileges whether grants are left out ({@code --no-privileges})
 * @param role the role the restore runs as and that owns the objects ({@code --role}); {@code null}
 *     for the target's user
 * @param schemas schemas to copy; empty for all
 * @param excludeTables tables left out ({@code schema.table} patterns)
 */
public record PgCopyRequest(
    String step,
    PgEndpoint source,
    PgEndpoint target,
    Integer jobs,
    boolean noOwner,
    boolean noPrivileges,
    String role,
    List<String> schemas,
    List<String> excludeTables) {

  public PgCopyRequest {
    schemas = schemas == null ? List.of() : List.copyOf(schemas);
    excludeTables = excludeTables == null ? List.of() : List.copyOf(excludeTables);
  }
}
