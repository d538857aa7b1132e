package dev.cutover.cli.report;

import java.time.Instant;

/** A durable wait (a timer), and the wait step it is, if it is one. */
final class WaitTimeline {
  final String what;
  final String phase;
  final Instant startedAt;
  Instant endedAt;
  String outcome = "waiting";
  Execution step;

  WaitTimeline(String what, String phase, Instant startedAt) {
    this.what = what;
    this.phase = phase;
    this.startedAt = startedAt;
  }
}
