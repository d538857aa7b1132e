package dev.cutover.cli.report;

import java.time.Duration;
import java.util.List;

/**
 * A fleet's report: every service's downtime window from its own history, each wave's window, and
 * the whole fleet's, beside the sum of the services' windows and the longest of them.
 *
 * @param outcome the fleet's state as its result or history says, {@code running} while it runs
 * @param window the fleet's downtime: the first service down to the last one up, across waves
 * @param notes what the report could not tell
 */
public record FleetReport(
    String fleet,
    String workflowId,
    String description,
    String outcome,
    List<FleetWaveWindow> waves,
    List<FleetServiceWindow> services,
    Duration window,
    Duration sumOfServices,
    Duration longest,
    String longestService,
    List<String> notes) {}
