package dev.cutover.cli.report;

import java.time.Instant;

/** A gate: when it opened and who approved it, how. */
final class GateTimeline {
  final String name;
  final String before;
  final String description;
  Instant openedAt;
  Instant approvedAt;
  String by;
  String identity;
  String comment;
  String via;

  GateTimeline(String name, String before, String description) {
    this.name = name;
    this.before = before;
    this.description = description;
  }
}
