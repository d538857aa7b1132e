package dev.cutover.cli.report;

import java.time.Instant;

/** A phase the run entered, as its search attribute says. */
final class PhaseTimeline {
  final String name;
  final Instant startedAt;
  Instant endedAt;

  PhaseTimeline(String name, Instant startedAt) {
    this.name = name;
    this.startedAt = startedAt;
  }
}
