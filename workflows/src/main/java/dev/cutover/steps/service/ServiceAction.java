package dev.cutover.steps.service;

/** What to do with a service, and the state each action must reach. */
public enum ServiceAction {
  /** Stop it; verified inactive. */
  STOP,
  /** Start it; verified active. */
  START,
  /** Restart it; verified active. */
  RESTART,
  /** Enable it at boot; verified enabled. */
  ENABLE,
  /** Disable it at boot; verified disabled. */
  DISABLE
}
