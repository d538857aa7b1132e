package dev.cutover.fleet;

import java.util.List;

/**
 * Services moved in the same window.
 *
 * @param gates approvals given once for the whole wave; each is also a gate of every member's plan
 */
public record FleetWave(String name, List<String> services, List<SharedGate> gates) {
  public FleetWave {
    services = services == null ? List.of() : List.copyOf(services);
    gates = gates == null ? List.of() : List.copyOf(gates);
  }
}
