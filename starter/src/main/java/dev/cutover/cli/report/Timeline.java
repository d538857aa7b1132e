package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the decoder read from a migration's runs, as typed state the views turn into a {@link
 * MigrationReport}: the plan's steps with their executions, gates, operator actions, waits, phases,
 * rounds, notifications, runs and how the migration ended. It also holds where the reading is (the
 * phase, what the run waits for), which pre-facts histories need to place what they read.
 */
final class Timeline {
  static final Set<String> FINAL_PHASES = Set.of("completed", "aborted", "held");
  static final Set<String> DOWNTIME_SPAN = Set.of("downtime", "switch", "verify");
  static final List<String> PHASE_ORDER =
      List.of(
          "prepare", "lower-ttl", "presync", "downtime", "switch", "verify", "monitor", "finish");

  String migration;
  String description;
  Duration budget;
  final Map<String, StepTimeline> steps = new LinkedHashMap<>();
  final Map<String, GateTimeline> gates = new LinkedHashMap<>();
  final List<OperatorAction> actions = new ArrayList<>();
  final List<WaitTimeline> waits = new ArrayList<>();
  final List<PhaseTimeline> phases = new ArrayList<>();
  final List<ReportRun> runs = new ArrayList<>();
  final List<ChildReport> childReports = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  final Map<Integer, RoundTimeline> rounds = new LinkedHashMap<>();
  final List<NotificationTimeline> notifications = new ArrayList<>();

  // Where the reading is.
  String phase;
  String waitingFor = "";
  int presyncRound = 1;
  int monitorCheck = 1;
  boolean aborting;
  boolean ended;
  int checkpointMonitorChecks;

  // How it ended.
  String outcome = "running";
  String outcomeDetail;
  Instant startedAt;
  Instant endedAt;
  String startedBy;
  JsonNode result;
  Instant downtimeStart;
  Instant downtimeSpanLeft;

  /** Pre-facts histories: the downtime budget's timer fired (read from its summary). */
  boolean budgetFired;

  /** The time of the last event read of the migration's runs: how far the history goes. */
  Instant lastEventAt;

  /**
   * A new execution of the step; {@code round} and {@code attemptOfStep} as the workflow's facts
   * say, or as derived for older histories.
   */
  Execution execution(
      String owner,
      String stepPhase,
      boolean undo,
      String activity,
      Instant at,
      int round,
      int attemptOfStep) {
    StepTimeline step = step(owner, stepPhase, activity);
    Execution exec = new Execution(undo, round, activity, at);
    exec.attemptOfStep = attemptOfStep;
    if (!undo) {
      step.lastRound = round;
      step.lastTry = attemptOfStep;
      step.retryDecided = false;
      if (DOWNTIME_SPAN.contains(step.plan.phase()) && downtimeStart == null && !aborting) {
        downtimeStart = at;
      }
    }
    step.executions.add(exec);
    if ("presync".equals(step.plan.phase()) && !undo) {
      rounds.computeIfAbsent(round, RoundTimeline::new).add(exec);
    }
    return exec;
  }

  /**
   * Pre-facts histories: the try of the step's next execution, counting the retries operators
   * decided.
   */
  static int derivedTry(StepTimeline step, int round) {
    if (step.lastRound != round || step.lastTry == 0) {
      return 1;
    }
    return step.retryDecided ? step.lastTry + 1 : step.lastTry;
  }

  /**
   * The step by name; one the plan does not hold (preflight, the workflow's own activities) is
   * added.
   */
  StepTimeline step(String name, String stepPhase, String activity) {
    StepTimeline step = steps.get(name);
    if (step == null) {
      boolean preflight = name.equals("preflight");
      step =
          new StepTimeline(
              new PlanStep(
                  stepPhase == null ? "prepare" : stepPhase,
                  name,
                  preflight ? "preflight" : activity,
                  null,
                  preflight
                      ? "hosts reachable with verified keys, tools present, room for the copies"
                      : null));
      if (preflight) {
        Map<String, StepTimeline> rest = new LinkedHashMap<>(steps);
        steps.clear();
        steps.put(name, step);
        steps.putAll(rest);
      } else {
        steps.put(name, step);
      }
    }
    return step;
  }

  /** The round a step of the phase runs in now, as the timers of a pre-facts history tell. */
  int roundOf(String stepPhase) {
    return switch (stepPhase == null ? "" : stepPhase) {
      case "presync" -> presyncRound;
      case "monitor" -> monitorCheck;
      default -> 0;
    };
  }

  GateTimeline gate(String name) {
    return gates.computeIfAbsent(name, n -> new GateTimeline(n, phase, null));
  }
}
