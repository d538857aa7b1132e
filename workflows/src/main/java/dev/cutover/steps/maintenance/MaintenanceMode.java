package dev.cutover.steps.maintenance;

/** How the maintenance page is switched. */
public enum MaintenanceMode {
  /** A flag file whose presence turns the page on. */
  FILE,
  /** Commands that turn it on and off. */
  COMMAND
}
