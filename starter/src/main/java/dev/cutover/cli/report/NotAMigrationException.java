package dev.cutover.cli.report;

/** A history that is not of a cutover migration: another workflow type, or not from its start. */
public final class NotAMigrationException extends IllegalArgumentException {
  public NotAMigrationException(String message) {
    super(message);
  }
}
