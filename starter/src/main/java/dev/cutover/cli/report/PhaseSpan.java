package dev.cutover.cli.report;

import java.time.Instant;

/**
 * A phase as the workflow entered and left it (search attribute {@code CutoverPhase}).
 *
 * @param endedAt {@code null} while the phase runs
 */
public record PhaseSpan(String name, Instant startedAt, Instant endedAt) {}
