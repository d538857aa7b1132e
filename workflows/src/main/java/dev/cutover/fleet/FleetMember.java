package dev.cutover.fleet;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One service as the fleet keeps it while it runs: whether its child was started, what it told the
 * fleet it waits for, and how it ended. Changed only on the workflow's thread.
 */
final class FleetMember {
  static final String WAITING = "waiting";
  static final String RUNNING = "running";
  static final String AT_GATE = "at-gate";
  static final String BLOCKED = "blocked";
  static final String COMPLETED = "completed";
  static final String SKIPPED = "skipped";

  /** Blocked steps one member reports at once: a parallel group's branches, not more. */
  static final int MAX_BLOCKED_STEPS = 50;

  final FleetService service;

  /** waiting, running, or how it ended (completed, aborted, failed, held, skipped). */
  private String state = WAITING;

  private String phase;
  private String gate;
  private final Set<String> blockedSteps = new LinkedHashSet<>();
  private String detail;

  /** Why a member waits before it starts, or why it was skipped. */
  private String why;

  private Instant startedAt;
  private Instant endedAt;

  /** The child's start was asked for; until {@link #running} it may not take signals yet. */
  private boolean launched;

  private boolean executionStarted;
  private boolean abortSent;
  private final Set<String> approvalsSent = new LinkedHashSet<>();

  FleetMember(FleetService service) {
    this.service = service;
  }

  String name() {
    return service.name();
  }

  boolean launched() {
    return launched;
  }

  boolean ended() {
    return endedAt != null || SKIPPED.equals(state);
  }

  boolean inFlight() {
    return launched && !ended();
  }

  /** In flight and able to take signals (its execution has started). */
  boolean signallable() {
    return inFlight() && executionStarted;
  }

  boolean completed() {
    return COMPLETED.equals(state);
  }

  boolean blocked() {
    return inFlight() && !blockedSteps.isEmpty();
  }

  String firstBlockedStep() {
    return blockedSteps.isEmpty() ? null : blockedSteps.iterator().next();
  }

  String gate() {
    return inFlight() ? gate : null;
  }

  String state() {
    return state;
  }

  boolean abortSent() {
    return abortSent;
  }

  void abortSent(boolean sent) {
    abortSent = sent;
  }

  /** Whether the fleet already passed on the approval of this shared gate to the member. */
  boolean approvalSent(String sharedGate) {
    return approvalsSent.contains(sharedGate);
  }

  void markApprovalSent(String sharedGate) {
    approvalsSent.add(sharedGate);
  }

  void waitsBecause(String reason) {
    why = reason;
  }

  void launched(Instant at) {
    launched = true;
    state = RUNNING;
    startedAt = at;
    why = null;
  }

  void executionStarted() {
    executionStarted = true;
  }

  void skipped(String reason) {
    state = SKIPPED;
    why = reason;
  }

  void ended(String outcome, String what, Instant at) {
    state = outcome;
    detail = what;
    endedAt = at;
    gate = null;
    blockedSteps.clear();
  }

  void atGate(String gateName, String inPhase) {
    gate = gateName;
    phase = inPhase;
  }

  void blocked(String step, String inPhase, String error) {
    if (blockedSteps.size() < MAX_BLOCKED_STEPS || blockedSteps.contains(step)) {
      blockedSteps.add(step);
    }
    phase = inPhase;
    detail = error;
  }

  /** The member goes on: past the gate or the step it names, or past every wait when neither. */
  void resumed(String gateName, String step, String inPhase) {
    if (step != null) {
      blockedSteps.remove(step);
    } else if (gateName != null) {
      if (gateName.equals(gate)) {
        gate = null;
      }
    } else {
      gate = null;
      blockedSteps.clear();
    }
    if (blockedSteps.isEmpty()) {
      detail = null;
    }
    phase = inPhase;
  }

  FleetServiceStatus status() {
    String shown = state;
    String waitingFor = why;
    if (inFlight() && !blockedSteps.isEmpty()) {
      shown = BLOCKED;
      waitingFor = "decision:" + firstBlockedStep();
    } else if (inFlight() && gate != null) {
      shown = AT_GATE;
      waitingFor = "gate:" + gate;
    }
    return new FleetServiceStatus(
        service.name(),
        service.wave(),
        service.workflowId(),
        shown,
        phase,
        waitingFor,
        detail,
        startedAt,
        endedAt);
  }
}
