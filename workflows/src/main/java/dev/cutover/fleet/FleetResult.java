package dev.cutover.fleet;

import java.util.List;

/** How the fleet ended, service by service. */
public record FleetResult(String fleet, String state, List<FleetServiceStatus> services) {}
