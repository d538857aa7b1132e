package dev.cutover.plan;

import java.util.ArrayList;
import java.util.List;

/** The phases of a plan; the workflow runs them in this order whatever the file's order. */
@Doc("The phases to run, each optional.")
public record Phases(
    @Doc("Checks and setup before anything changes.") Phase prepare,
    @YamlName("lower-ttl") @Doc("Lower the DNS TTL and wait out the old one.")
        LowerTtlPhase lowerTtl,
    @Doc("Copy data ahead of the window, in rounds.") PresyncPhase presync,
    @Doc("The downtime: stop writes, final sync, switch the database.") Phase downtime,
    @YamlName("switch") @Doc("Move traffic to the new host.") Phase switchTraffic,
    @Doc("Check the new host serves correctly.") Phase verify,
    @Doc("Watch the new host for days.") MonitorPhase monitor,
    @Doc("Restore the TTL, retire the old host.") Phase finish) {

  /** The steps of a phase, or an empty list when the plan leaves the phase out. */
  public List<Step> steps(PhaseName phase) {
    return switch (phase) {
      case PREPARE -> prepare == null ? List.of() : prepare.steps();
      case LOWER_TTL -> lowerTtl == null ? List.of() : lowerTtl.steps();
      case PRESYNC -> presync == null ? List.of() : presync.steps();
      case DOWNTIME -> downtime == null ? List.of() : downtime.steps();
      case SWITCH -> switchTraffic == null ? List.of() : switchTraffic.steps();
      case VERIFY -> verify == null ? List.of() : verify.steps();
      case MONITOR -> monitor == null ? List.of() : monitor.steps();
      case FINISH -> finish == null ? List.of() : finish.steps();
    };
  }

  /**
   * The steps of a phase with the steps nested in its parallel groups, in plan order: every step
   * that runs in the phase, for checks that look across the plan.
   */
  public List<Step> stepsWithNested(PhaseName phase) {
    return Step.flatten(steps(phase));
  }

  public boolean has(PhaseName phase) {
    return switch (phase) {
      case PREPARE -> prepare != null;
      case LOWER_TTL -> lowerTtl != null;
      case PRESYNC -> presync != null;
      case DOWNTIME -> downtime != null;
      case SWITCH -> switchTraffic != null;
      case VERIFY -> verify != null;
      case MONITOR -> monitor != null;
      case FINISH -> finish != null;
    };
  }

  /** The phases present in the plan, in run order. */
  public List<PhaseName> present() {
    List<PhaseName> result = new ArrayList<>();
    for (PhaseName p : PhaseName.values()) {
      if (has(p)) {
        result.add(p);
      }
    }
    return result;
  }
}
