package dev.cutover.workflow;

import dev.cutover.steps.dns.DnsLedger;
import dev.cutover.plan.Gate;
import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's memory: every step, gate and decision, the downtime clock and the undo stack. The
 * status query reads it, the checkpoint carries it across continue-as-new.
 */
final class MigrationRecord {
  final Map<String, StepStatus> steps = new LinkedHashMap<>();
  final Map<String, GateStatus> gates = new LinkedHashMap<>();
  final List<UndoEntry> undo = new ArrayList<>();
  final List<PresyncRound> presyncRounds = new ArrayList<>();
  final List<DecisionRecord> decisions = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  /** DNS records as read before the first change, and which TTLs are lowered. */
  final DnsLedger dns;

  MigrationState state = MigrationState.RUNNING;
  String phase = "starting";
  String currentStep;
  String waitingFor = "";
  String nextAction = "";
  Instant waitingUntil;
  Instant downtimeStartedAt;
  Instant downtimeEndedAt;
  boolean budgetExceeded;
  boolean pointOfNoReturnPassed;
  int monitorChecks;
  int continuedRuns;

  boolean abortRequested;
  String abortReason;
  /** The step waiting for a decision, and the decision once it comes. */
  String blockedStep;
  DecideRequest pendingDecision;

  MigrationRecord(Plan plan, Checkpoint checkpoint) {
    for (PhaseName phase : plan.phases().present()) {
      for (Step s : plan.phases().steps(phase)) {
        steps.put(s.name(), StepStatus.pending(phase.yamlName(), s.name(), s.kind().yamlName(), s.placeText(), s.description()));
      }
    }
    for (Gate g : plan.gates()) {
      gates.put(g.name(), GateStatus.pending(g.name(), g.before(), g.description()));
    }
    dns = new DnsLedger(checkpoint == null ? null : checkpoint.dns());
    if (checkpoint != null) {
      checkpoint.steps().forEach(s -> steps.put(s.name(), s));
      checkpoint.gates().forEach(g -> gates.put(g.name(), g));
      undo.addAll(checkpoint.undo());
      presyncRounds.addAll(checkpoint.presyncRounds());
      decisions.addAll(checkpoint.decisions());
      notes.addAll(checkpoint.notes());
      downtimeStartedAt = checkpoint.downtimeStartedAt();
      downtimeEndedAt = checkpoint.downtimeEndedAt();
      budgetExceeded = checkpoint.budgetExceeded();
      pointOfNoReturnPassed = checkpoint.pointOfNoReturnPassed();
      monitorChecks = checkpoint.nextMonitorCheck() - 1;
      continuedRuns = checkpoint.continuedRuns() + 1;
      phase = checkpoint.phase().yamlName();
    }
  }

  /** rsync statistics of the presync round in progress; presync turns them into its {@link PresyncRound}. */
  long roundChanged;
  long roundBytes;
  long roundSyncMillis;
  boolean roundSynced;

  void addSync(dev.cutover.steps.rsync.RsyncResult sync) {
    roundChanged += sync.changedFiles();
    roundBytes += sync.bytesTransferred();
    roundSyncMillis += sync.durationMillis();
    roundSynced = true;
  }

  void startRound() {
    roundChanged = 0;
    roundBytes = 0;
    roundSyncMillis = 0;
    roundSynced = false;
  }

  /** The last presync round that synced, for the estimate of the final sync. */
  PresyncRound lastSyncedRound() {
    for (int i = presyncRounds.size() - 1; i >= 0; i--) {
      if (presyncRounds.get(i).syncMillis() != null) {
        return presyncRounds.get(i);
      }
    }
    return null;
  }

  /** Adds a step that is not in the plan (preflight) at the head of the list. */
  void putFirst(StepStatus status) {
    Map<String, StepStatus> rest = new LinkedHashMap<>(steps);
    steps.clear();
    steps.put(status.name(), status);
    rest.forEach(steps::putIfAbsent);
  }

  /** Adds a step that is not in the plan (a TTL the finish phase restores) before another, or last. */
  void putBefore(String before, StepStatus status) {
    Map<String, StepStatus> all = new LinkedHashMap<>(steps);
    steps.clear();
    all.forEach((name, s) -> {
      if (name.equals(before)) {
        steps.put(status.name(), status);
      }
      steps.put(name, s);
    });
    steps.putIfAbsent(status.name(), status);
  }

  void update(String name, java.util.function.UnaryOperator<StepStatus> change) {
    steps.computeIfPresent(name, (k, v) -> change.apply(v));
  }

  /** Steps caught running or blocked by an abort say so, instead of looking as if they still ran. */
  void closeOpenSteps(String reason) {
    for (StepStatus s : List.copyOf(steps.values())) {
      if (s.state() == StepState.RUNNING || s.state() == StepState.BLOCKED) {
        steps.put(s.name(), new StepStatus(s.phase(), s.name(), s.kind(), s.host(), s.description(), StepState.FAILED,
            s.attempts(), s.round(), s.startedAt(), s.endedAt(), s.exitCode(), s.outputTail(),
            s.error() == null ? reason : s.error() + "; " + reason, s.errorType() == null ? "Aborted" : s.errorType()));
      }
    }
    blockedStep = null;
  }

  Checkpoint checkpoint(PhaseName resumeAt, int nextPresyncRound, int nextMonitorCheck, Instant monitorEndsAt) {
    return new Checkpoint(resumeAt, nextPresyncRound, nextMonitorCheck, monitorEndsAt,
        List.copyOf(steps.values()), List.copyOf(gates.values()), List.copyOf(undo),
        List.copyOf(presyncRounds), List.copyOf(decisions), List.copyOf(notes),
        downtimeStartedAt, downtimeEndedAt, budgetExceeded, pointOfNoReturnPassed, continuedRuns, dns.all());
  }

  Duration downtime(Instant now) {
    if (downtimeStartedAt == null) {
      return null;
    }
    return Duration.between(downtimeStartedAt, downtimeEndedAt != null ? downtimeEndedAt : now);
  }

  MigrationStatus status(String migration, Duration budget, Instant now) {
    DowntimeStatus downtime = new DowntimeStatus(downtimeStartedAt, downtimeEndedAt, budget, downtime(now),
        budgetExceeded || (budget != null && downtime(now) != null && downtime(now).compareTo(budget) > 0));
    return new MigrationStatus(migration, state, phase, currentStep, waitingFor, nextAction, waitingUntil,
        List.copyOf(steps.values()), List.copyOf(gates.values()), downtime, List.copyOf(presyncRounds),
        monitorChecks, continuedRuns, List.copyOf(decisions), List.copyOf(notes), abortReason, pointOfNoReturnPassed, dns.all());
  }
}
