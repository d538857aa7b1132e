package dev.cutover.cli.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A wave's window: from the first of its services going down to the last of them being back up. Run
 * in parallel, the window is close to the longest service's; run one after another, to the sum.
 *
 * @param endedAt {@code null} while a member is still down
 * @param window {@code endedAt - startedAt}; {@code null} while open or without any downtime
 * @param sumOfServices the services' windows added up: what the wave would take one by one
 * @param longest the longest service's window, and {@code longestService} whose it is
 */
public record FleetWaveWindow(
    String name,
    List<String> services,
    Instant startedAt,
    Instant endedAt,
    Duration window,
    Duration sumOfServices,
    Duration longest,
    String longestService) {}
