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
  final Notes notes;
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

  /** Whether this run began under the bounded-state version (see MigrationWorkflowImpl.BOUNDED_STATE_CHANGE). */
  boolean bounded;

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
    notes = checkpoint == null ? new Notes()
        : Notes.restore(checkpoint.noteLog(), checkpoint.notesDropped(), checkpoint.notes(), DurableWait.now());
    if (checkpoint != null) {
      checkpoint.steps().forEach(s -> steps.put(s.name(), s));
      checkpoint.gates().forEach(g -> gates.put(g.name(), g));
      undo.addAll(checkpoint.undo());
      presyncRounds.addAll(checkpoint.presyncRounds());
      decisions.addAll(checkpoint.decisions());
      keepLast(presyncRounds, MAX_PRESYNC_ROUNDS, "older presync rounds left out of status");
      keepLast(decisions, MAX_DECISIONS, "older decisions left out of status");
      downtimeStartedAt = checkpoint.downtimeStartedAt();
      downtimeEndedAt = checkpoint.downtimeEndedAt();
      budgetExceeded = checkpoint.budgetExceeded();
      pointOfNoReturnPassed = checkpoint.pointOfNoReturnPassed();
      monitorChecks = checkpoint.nextMonitorCheck() - 1;
      continuedRuns = checkpoint.continuedRuns() + 1;
      phase = checkpoint.phase().yamlName();
    }
  }

  /** Notes something for status: repeats of a kind collapse into one line with a count. */
  void note(String kind, String detail) {
    notes.add(kind, detail, DurableWait.now());
  }

  /** Presync rounds every hour for weeks: the last ones say how long rounds take now. */
  static final int MAX_PRESYNC_ROUNDS = 48;
  /** Decisions an operator gives on a step that keeps failing: the last ones say what was tried. */
  static final int MAX_DECISIONS = 50;
  /** A step's output as status shows it: the activities send at most this much (HostShell.TAIL_CHARS). */
  static final int MAX_OUTPUT_CHARS = 4000;
  /** A step's error, as {@link StepExecutor#MAX_ERROR_CHARS} clips an activity's message. */
  static final int MAX_STEP_ERROR_CHARS = 2100;

  void addPresyncRound(PresyncRound round) {
    presyncRounds.add(round);
    keepLast(presyncRounds, MAX_PRESYNC_ROUNDS, "older presync rounds left out of status");
  }

  void addDecision(DecisionRecord decision) {
    decisions.add(decision);
    keepLast(decisions, MAX_DECISIONS, "older decisions left out of status");
  }

  /** Drops the oldest beyond {@code max}, counted in a note: the history keeps them all. */
  private <T> void keepLast(List<T> list, int max, String kind) {
    while (list.size() > max) {
      list.remove(0);
      note(kind, "the history has them");
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
    steps.computeIfPresent(name, (k, v) -> bounded(change.apply(v)));
  }

  /** A step's output and error as the record keeps them: what an activity sends, never more. */
  static StepStatus bounded(StepStatus s) {
    return StateBudget.cut(s, MAX_OUTPUT_CHARS, MAX_STEP_ERROR_CHARS, Integer.MAX_VALUE);
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

  /**
   * What the next run starts from, under {@link StateBudget#MAX_BYTES} whatever the loop added:
   * when it does not fit, step texts are cut shorter, level by level, and a note says so.
   */
  Checkpoint checkpoint(PhaseName resumeAt, int nextPresyncRound, int nextMonitorCheck, Instant monitorEndsAt) {
    Checkpoint cp = null;
    for (int level = 0; level <= StateBudget.LAST_LEVEL; level++) {
      if (level > 0) {
        note("checkpoint cut to fit " + StateBudget.MAX_BYTES / 1024 + " KB", StateBudget.describe(level));
      }
      int lvl = level;
      cp = new Checkpoint(resumeAt, nextPresyncRound, nextMonitorCheck, monitorEndsAt,
          steps.values().stream().map(s -> StateBudget.cut(s, lvl)).toList(), StateBudget.cutGates(gates.values(), lvl), List.copyOf(undo),
          StateBudget.last(presyncRounds, lvl), StateBudget.last(decisions, lvl), List.of(),
          downtimeStartedAt, downtimeEndedAt, budgetExceeded, pointOfNoReturnPassed, continuedRuns, dns.all(),
          notes.entries(), notes.dropped());
      if (StateBudget.size(cp) <= StateBudget.MAX_BYTES) {
        break;
      }
    }
    return cp;
  }

  /**
   * Adds an undo. Validate refuses an undo on a step of a repeating phase, but a plan that slipped
   * past it added the undo once per round, and a long presync would grow the list (and the
   * rollback) without bound; since bounded state the same undo is kept once.
   */
  void addUndo(PhaseName phase, UndoEntry entry) {
    if (bounded && phase.repeats() && undo.contains(entry)) {
      return;
    }
    undo.add(entry);
  }

  /** The run's result, under the same budget as the checkpoint: a payload must fit whatever the steps printed. */
  MigrationResult result(String migration, MigrationState outcome, Duration downtime) {
    MigrationResult result = null;
    for (int level = 0; level <= StateBudget.LAST_LEVEL; level++) {
      int lvl = level;
      result = new MigrationResult(migration, outcome, downtime, steps.values().stream().map(s -> StateBudget.cut(s, lvl)).toList(),
          SignalLimits.clip(abortReason, StateBudget.MAX_TEXT_CHARS));
      if (StateBudget.size(result) <= StateBudget.MAX_BYTES) {
        break;
      }
    }
    return result;
  }

  Duration downtime(Instant now) {
    if (downtimeStartedAt == null) {
      return null;
    }
    return Duration.between(downtimeStartedAt, downtimeEndedAt != null ? downtimeEndedAt : now);
  }

  /**
   * The answer to the status query, under {@link StateBudget#MAX_BYTES} whatever the run went
   * through: when it does not fit, step texts and lists are cut, level by level, and it says so.
   */
  MigrationStatus status(String migration, Duration budget, Instant now) {
    DowntimeStatus downtime = new DowntimeStatus(downtimeStartedAt, downtimeEndedAt, budget, downtime(now),
        budgetExceeded || (budget != null && downtime(now) != null && downtime(now).compareTo(budget) > 0));
    MigrationStatus status = null;
    for (int level = 0; level <= StateBudget.LAST_STATUS_LEVEL; level++) {
      int lvl = level;
      List<String> lines = new ArrayList<>();
      if (level > 0) {
        lines.add("status cut to fit " + StateBudget.MAX_BYTES / 1024 + " KB: " + StateBudget.describe(level) + " (the history has everything)");
      }
      lines.addAll(notes.lines(StateBudget.notesShown(level)));
      List<StepStatus> shown = steps.values().stream().filter(s -> StateBudget.shows(s, lvl, currentStep, blockedStep))
          .map(s -> StateBudget.cut(s, lvl)).toList();
      status = new MigrationStatus(migration, state, phase, currentStep, waitingFor,
          SignalLimits.clip(nextAction, StateBudget.MAX_TEXT_CHARS), waitingUntil,
          shown, StateBudget.cutGates(gates.values(), lvl), downtime, StateBudget.last(presyncRounds, lvl),
          monitorChecks, continuedRuns, StateBudget.last(decisions, lvl), List.copyOf(lines),
          SignalLimits.clip(abortReason, StateBudget.MAX_TEXT_CHARS), pointOfNoReturnPassed, dns.all());
      if (StateBudget.size(status) <= StateBudget.MAX_BYTES) {
        break;
      }
    }
    return status;
  }
}
