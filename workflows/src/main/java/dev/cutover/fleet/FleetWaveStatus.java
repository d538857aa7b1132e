package dev.cutover.fleet;

import java.time.Instant;
import java.util.List;

/**
 * @param state {@code pending}, {@code running}, {@code held} or {@code ended}
 */
public record FleetWaveStatus(
    String name, String state, List<SharedGateStatus> gates, Instant startedAt, Instant endedAt) {}
