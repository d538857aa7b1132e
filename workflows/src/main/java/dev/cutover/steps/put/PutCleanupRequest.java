package dev.cutover.steps.put;

import java.util.List;

/**
 * The backups and absent markers to remove once a migration has completed.
 *
 * @param migration the migration's name and 8 characters of its first run's id, as the put steps
 *     named their backups with ({@link PutRequest#migration()})
 * @param files the files the plan's put steps write, but those with {@code keepBackup: true}
 */
public record PutCleanupRequest(String migration, List<PutCleanupFile> files) {
  public PutCleanupRequest {
    files = files == null ? List.of() : List.copyOf(files);
  }
}
