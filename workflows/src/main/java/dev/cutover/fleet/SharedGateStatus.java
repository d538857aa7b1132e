package dev.cutover.fleet;

import java.time.Instant;
import java.util.List;

/**
 * A wave's shared gate.
 *
 * @param state {@code pending}, {@code open} (every member in flight waits at it) or {@code
 *     approved}
 * @param waitingOn members in flight that have not reached it yet
 */
public record SharedGateStatus(
    String name,
    String before,
    String state,
    List<String> waitingOn,
    String by,
    String comment,
    Instant approvedAt) {}
