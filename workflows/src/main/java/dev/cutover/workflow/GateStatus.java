package dev.cutover.workflow;

import java.time.Instant;

public record GateStatus(
    String name,
    String before,
    String description,
    GateState state,
    Instant openedAt,
    Instant approvedAt,
    String comment,
    String by) {

  public static GateStatus pending(String name, String before, String description) {
    return new GateStatus(name, before, description, GateState.PENDING, null, null, null, null);
  }

  public GateStatus opened(Instant at) {
    return new GateStatus(name, before, description, GateState.OPEN, at, null, null, null);
  }

  public GateStatus approved(Instant at, String newComment, String approver) {
    return new GateStatus(
        name, before, description, GateState.APPROVED, openedAt, at, newComment, approver);
  }

  public GateStatus expired() {
    return new GateStatus(name, before, description, GateState.EXPIRED, openedAt, null, null, null);
  }
}
