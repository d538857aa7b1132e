package dev.cutover.steps.put;

import java.util.List;

/**
 * What the cleanup removed.
 *
 * @param removed each backup or marker removed, as {@code host:path}; those that were not there are
 *     not listed
 */
public record PutCleanupResult(List<String> removed) {
  public PutCleanupResult {
    removed = removed == null ? List.of() : List.copyOf(removed);
  }
}
