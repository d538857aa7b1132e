package dev.cutover.plan;

import java.util.Locale;

/** The phases of a migration, in the order the workflow runs them. */
public enum PhaseName {
  PREPARE,
  LOWER_TTL,
  PRESYNC,
  DOWNTIME,
  SWITCH,
  VERIFY,
  MONITOR,
  FINISH;

  /** The name used in plan files and shown to operators, like {@code lower-ttl}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Whether the downtime clock runs during this phase. */
  public boolean inDowntimeSpan() {
    return this == DOWNTIME || this == SWITCH || this == VERIFY;
  }

  /**
   * Whether the phase runs its steps again and again (rounds, checks), so they cannot carry an undo
   * each.
   */
  public boolean repeats() {
    return this == PRESYNC || this == MONITOR;
  }

  public static PhaseName fromYaml(String name) {
    for (PhaseName p : values()) {
      if (p.yamlName().equals(name)) {
        return p;
      }
    }
    return null;
  }
}
