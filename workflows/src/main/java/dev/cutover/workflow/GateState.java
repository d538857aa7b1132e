package dev.cutover.workflow;

public enum GateState {
  PENDING,
  OPEN,
  APPROVED,
  EXPIRED
}
