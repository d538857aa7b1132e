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

  /** Under an approval policy: approvals needed; {@code null} without one. */
  Integer required;

  /** Under an approval policy: each approval counted, as shown (who, key, verified or not). */
  final java.util.List<String> approvals = new java.util.ArrayList<>();

  /** Under an approval policy: who could still approve, as the last answer said. */
  java.util.List<String> stillNeeded;

  GateTimeline(String name, String before, String description) {
    this.name = name;
    this.before = before;
    this.description = description;
  }
}
