package dev.cutover.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The waves' shared gates: a gate is open when every member of its wave in flight waits at it and
 * at least one does; one approval lets them all on, and a member that reaches it later at once.
 */
final class SharedGates {
  private record Approval(String by, String comment, Instant at) {}

  /** Gate name (unique in the fleet) to its wave. */
  private final Map<String, FleetWave> waveOf = new LinkedHashMap<>();

  private final Map<String, SharedGate> gates = new LinkedHashMap<>();
  private final Map<String, Approval> approvals = new LinkedHashMap<>();

  SharedGates(Fleet fleet) {
    for (FleetWave wave : fleet.waves()) {
      for (SharedGate gate : wave.gates()) {
        waveOf.put(gate.name(), wave);
        gates.put(gate.name(), gate);
      }
    }
  }

  boolean exists(String gate) {
    return gates.containsKey(gate);
  }

  boolean approved(String gate) {
    return approvals.containsKey(gate);
  }

  String approvedBy(String gate) {
    Approval a = approvals.get(gate);
    return a == null ? null : a.by();
  }

  FleetWave wave(String gate) {
    return waveOf.get(gate);
  }

  List<String> names() {
    return List.copyOf(gates.keySet());
  }

  void approve(String gate, String by, String comment, Instant at) {
    approvals.put(gate, new Approval(by, comment, at));
  }

  String comment(String gate) {
    Approval a = approvals.get(gate);
    return a == null ? null : a.comment();
  }

  /**
   * Members of the gate's wave in flight that do not wait at it yet; when none is in flight, the
   * wave's members that have not ended.
   */
  List<String> waitingOn(String gate, List<FleetMember> wave) {
    List<String> notThere = new ArrayList<>();
    boolean anyInFlight = false;
    for (FleetMember m : wave) {
      if (m.inFlight()) {
        anyInFlight = true;
        if (!gate.equals(m.gate())) {
          notThere.add(m.name());
        }
      }
    }
    if (anyInFlight) {
      return notThere;
    }
    return wave.stream().filter(m -> !m.ended()).map(FleetMember::name).toList();
  }

  /** Every member of the wave in flight waits at the gate, and one at least. */
  boolean open(String gate, List<FleetMember> wave) {
    boolean any = false;
    for (FleetMember m : wave) {
      if (m.inFlight()) {
        if (!gate.equals(m.gate())) {
          return false;
        }
        any = true;
      }
    }
    return any && !approved(gate);
  }

  SharedGateStatus status(String gate, List<FleetMember> wave, boolean held) {
    SharedGate g = gates.get(gate);
    Approval a = approvals.get(gate);
    if (a != null) {
      return new SharedGateStatus(
          g.name(), g.before(), "approved", List.of(), a.by(), a.comment(), a.at());
    }
    boolean open = !held && open(gate, wave);
    return new SharedGateStatus(
        g.name(),
        g.before(),
        open ? "open" : "pending",
        open ? List.of() : waitingOn(gate, wave),
        null,
        null,
        null);
  }
}
