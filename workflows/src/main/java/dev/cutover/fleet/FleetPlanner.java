package dev.cutover.fleet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What may start now: in the current wave, a service whose dependencies all completed, while fewer
 * than the fleet's limit are in flight and the fleet is not held; a service whose dependency ended
 * otherwise is skipped. Holds every member, in file order.
 */
final class FleetPlanner {
  private final Fleet fleet;
  private final Map<String, FleetMember> members = new LinkedHashMap<>();
  private final Map<String, FleetMember> byWorkflowId = new LinkedHashMap<>();

  FleetPlanner(Fleet fleet) {
    this.fleet = fleet;
    for (FleetService s : fleet.services()) {
      FleetMember m = new FleetMember(s);
      m.waitsBecause("wave " + s.wave());
      members.put(s.name(), m);
      byWorkflowId.put(s.workflowId(), m);
    }
  }

  List<FleetMember> all() {
    return List.copyOf(members.values());
  }

  FleetMember byWorkflowId(String workflowId) {
    return workflowId == null ? null : byWorkflowId.get(workflowId);
  }

  List<FleetMember> wave(FleetWave wave) {
    List<FleetMember> list = new ArrayList<>();
    for (String name : wave.services()) {
      FleetMember m = members.get(name);
      if (m != null) {
        list.add(m);
      }
    }
    return list;
  }

  boolean ended(FleetWave wave) {
    return wave(wave).stream().allMatch(FleetMember::ended);
  }

  int inFlight() {
    return (int) members.values().stream().filter(FleetMember::inFlight).count();
  }

  /** The first member blocked on a failure, or {@code null}. */
  FleetMember firstBlocked() {
    return members.values().stream().filter(FleetMember::blocked).findFirst().orElse(null);
  }

  /** Whether the rest waits for a decision: the fleet holds and a member is blocked. */
  boolean held() {
    return fleet.onFailure() == FleetFailurePolicy.HOLD && firstBlocked() != null;
  }

  /**
   * Skips the wave's services whose dependencies ended other than completed, and returns those that
   * may start now, in file order; the others are told why they wait.
   */
  List<FleetMember> startable(FleetWave wave) {
    List<FleetMember> start = new ArrayList<>();
    int slots = fleet.concurrency() - inFlight();
    boolean held = held();
    for (FleetMember m : wave(wave)) {
      if (m.launched() || m.ended()) {
        continue;
      }
      String failedDependency = null;
      List<String> pending = new ArrayList<>();
      for (String dep : m.service.dependsOn()) {
        FleetMember d = members.get(dep);
        if (d == null) {
          failedDependency = dep + " is not a service of the fleet";
        } else if (d.ended() && !d.completed()) {
          failedDependency = "dependency " + dep + " ended " + d.state();
        } else if (!d.completed()) {
          pending.add(dep);
        }
        if (failedDependency != null) {
          break;
        }
      }
      if (failedDependency != null) {
        m.skipped(failedDependency);
      } else if (!pending.isEmpty()) {
        m.waitsBecause("dependsOn " + String.join(", ", pending));
      } else if (held) {
        m.waitsBecause("fleet held: a member waits for a decision");
      } else if (slots <= 0) {
        m.waitsBecause("concurrency " + fleet.concurrency() + " reached");
      } else {
        start.add(m);
        slots--;
      }
    }
    return start;
  }

  /** After an abort: every service not started is skipped. */
  void skipNotStarted(String reason) {
    for (FleetMember m : members.values()) {
      if (!m.launched() && !m.ended()) {
        m.skipped(reason);
      }
    }
  }
}
