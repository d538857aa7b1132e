package dev.cutover.workflow;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.dns.DnsLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's memory: where it stands, every step, the presync rounds, the notes and the undo stack;
 * the gates, the decisions, the downtime clock and the abort keep their own parts. The status query
 * reads them all here, the checkpoint carries them across continue-as-new.
 */
final class MigrationRecord {
  private final Map<String, StepStatus> steps = new LinkedHashMap<>();
  private final List<UndoEntry> undo = new ArrayList<>();
  private final List<PresyncRound> presyncRounds = new ArrayList<>();
  private final Notes notes;

  /** DNS records as read before the first change, and which TTLs are lowered. */
  final DnsLedger dns;

  private final AbortState abort;

  private MigrationState state = MigrationState.RUNNING;
  private String phase = "starting";
  private String currentStep;

  /** The steps in flight: one, or one per running branch of a parallel group. */
  private final java.util.LinkedHashSet<String> running = new java.util.LinkedHashSet<>();

  private String waitingFor = "";

  /** What the run waits for a person in ({@link #awaiting}), while {@code waitingFor} is set. */
  private MigrationState waitingState = MigrationState.RUNNING;

  private String nextAction = "";
  private Instant waitingUntil;
  private int monitorChecks;
  private int continuedRuns;

  /**
   * Whether this run began under the bounded-state version (see
   * MigrationWorkflowImpl.BOUNDED_STATE_CHANGE).
   */
  private boolean bounded;

  MigrationRecord(Plan plan, Checkpoint checkpoint, AbortState abort) {
    this.abort = abort;
    for (PhaseName phase : plan.phases().present()) {
      for (Step s : plan.phases().steps(phase)) {
        steps.put(
            s.name(),
            StepStatus.pending(
                phase.yamlName(), s.name(), s.kind().yamlName(), s.placeText(), s.description()));
        // A group's nested steps follow its own row, branch by branch, each naming its lane.
        for (dev.cutover.plan.Branch branch : s.branches()) {
          for (Step n : branch.stepsOrEmpty()) {
            steps.put(
                n.name(),
                StepStatus.pending(
                    phase.yamlName(),
                    n.name(),
                    n.kind().yamlName(),
                    n.placeText(),
                    n.description(),
                    s.name(),
                    branch.name()));
          }
        }
      }
    }
    dns = new DnsLedger(checkpoint == null ? null : checkpoint.dns());
    notes =
        checkpoint == null
            ? new Notes()
            : Notes.restore(
                checkpoint.noteLog(),
                checkpoint.notesDropped(),
                checkpoint.notes(),
                DurableWait.now());
    if (checkpoint != null) {
      checkpoint.steps().forEach(s -> steps.put(s.name(), s));
      undo.addAll(checkpoint.undo());
      presyncRounds.addAll(checkpoint.presyncRounds());
      keepLast(presyncRounds, MAX_PRESYNC_ROUNDS, "older presync rounds left out of status");
      monitorChecks = checkpoint.nextMonitorCheck() - 1;
      continuedRuns = checkpoint.continuedRuns() + 1;
      phase = checkpoint.phase().yamlName();
    }
  }

  // Where the run stands, as status shows it: each wait sets it and puts it back when it ends.

  MigrationState state() {
    return state;
  }

  String phase() {
    return phase;
  }

  /** A phase of the plan begins. */
  void enterPhase(String name) {
    phase = name;
    state = MigrationState.RUNNING;
  }

  /** Preflight runs in the prepare phase before the plan's phases begin. */
  void preparing(String name) {
    phase = name;
  }

  void rollingBack() {
    state = MigrationState.ROLLING_BACK;
    phase = "rollback";
  }

  /** The run ends: nothing runs or waits any more, and the phase is the outcome. */
  void ended(MigrationState outcome, String outcomePhase) {
    state = outcome;
    currentStep = null;
    running.clear();
    waitingFor = "";
    nextAction = "";
    phase = outcomePhase;
  }

  void stepStarted(String step) {
    running.add(step);
    currentStep = step;
    // Another branch's step blocked for a decision still waits for a person: status says so.
    if (waitingFor.isEmpty()) {
      state = MigrationState.RUNNING;
    }
  }

  /**
   * The step in flight is done with (succeeded, skipped or continued past); in a group, another
   * branch's step may still run.
   */
  void stepLeft(String step) {
    running.remove(step);
    currentStep = null;
    for (String other : running) {
      currentStep = other; // the last started of those still in flight
    }
  }

  /** The run waits for a person: what for, and the exact thing to send. */
  void awaiting(MigrationState waitingState, String what, String action) {
    this.waitingState = waitingState;
    state = waitingState;
    waitingFor = what;
    nextAction = action;
  }

  /** A person's wait ended: the run goes on. */
  void resumed() {
    waitingFor = "";
    nextAction = "";
    state = MigrationState.RUNNING;
  }

  String waitingFor() {
    return waitingFor;
  }

  /**
   * Until when the run waits, when it waits for a time (a timer, a gate's deadline); {@code null}
   * when not.
   */
  void waitingUntil(Instant until) {
    waitingUntil = until;
  }

  /** The run sleeps on a durable timer; returns the state to go back to (see {@link #awake}). */
  MigrationState sleeping(Instant until) {
    MigrationState before = state;
    // While a branch of a group waits for a person, that is what status says, not another's timer.
    if (waitingFor.isEmpty()) {
      state = MigrationState.WAITING;
    }
    waitingUntil = until;
    return before;
  }

  void awake(MigrationState before) {
    waitingUntil = null;
    if (waitingFor.isEmpty()) {
      state = before == MigrationState.WAITING ? MigrationState.RUNNING : before;
    } else {
      state = waitingState;
    }
  }

  boolean bounded() {
    return bounded;
  }

  /**
   * Set once, as the run begins, from the version marker: runs begun before it keep their old ways.
   */
  void beganBounded(boolean underBoundedState) {
    bounded = underBoundedState;
  }

  boolean hasStep(String name) {
    return steps.containsKey(name);
  }

  boolean hasUndoFor(String step) {
    return undo.stream().anyMatch(entry -> step.equals(entry.forStep()));
  }

  int undoCount() {
    return undo.size();
  }

  /** The undo stack, last finished first, as a rollback runs it. */
  List<UndoEntry> undoInReverse() {
    List<UndoEntry> reversed = new ArrayList<>(undo);
    java.util.Collections.reverse(reversed);
    return reversed;
  }

  /** The rollback ran every undo: none is left to run. */
  void undone() {
    undo.clear();
  }

  /** Notes something for status: repeats of a kind collapse into one line with a count. */
  void note(String kind, String detail) {
    notes.add(kind, detail, DurableWait.now());
  }

  /** Presync rounds every hour for weeks: the last ones say how long rounds take now. */
  static final int MAX_PRESYNC_ROUNDS = 48;

  /**
   * A step's output as status shows it: the activities send at most this much
   * (HostShell.TAIL_CHARS).
   */
  static final int MAX_OUTPUT_CHARS = 4000;

  /** A step's error, as {@link StepExecutor#MAX_ERROR_CHARS} clips an activity's message. */
  static final int MAX_STEP_ERROR_CHARS = 2100;

  /** Drops the oldest beyond {@code max}, counted in a note: the history keeps them all. */
  <T> void keepLast(List<T> list, int max, String kind) {
    while (list.size() > max) {
      list.remove(0);
      note(kind, "the history has them");
    }
  }

  /**
   * rsync statistics of the presync round in progress; presync turns them into its {@link
   * PresyncRound}.
   */
  private long roundChanged;

  private long roundBytes;
  private long roundSyncMillis;
  private boolean roundSynced;

  void addSync(dev.cutover.steps.rsync.RsyncResult sync) {
    roundChanged += sync.changedFiles();
    roundBytes += sync.bytesTransferred();
    roundSyncMillis += sync.durationMillis();
    roundSynced = true;
  }

  /** A presync round begins: listed at once, with the rsync statistics counted from zero. */
  void startPresyncRound(int round, Instant startedAt) {
    presyncRounds.add(new PresyncRound(round, startedAt, null));
    keepLast(presyncRounds, MAX_PRESYNC_ROUNDS, "older presync rounds left out of status");
    roundChanged = 0;
    roundBytes = 0;
    roundSyncMillis = 0;
    roundSynced = false;
  }

  /** The round in progress ends, with what its rsync steps copied when it had any. */
  void endPresyncRound(int round, Instant startedAt, Instant endedAt) {
    presyncRounds.set(
        presyncRounds.size() - 1,
        roundSynced
            ? new PresyncRound(round, startedAt, endedAt, roundChanged, roundBytes, roundSyncMillis)
            : new PresyncRound(round, startedAt, endedAt));
  }

  void monitorCheckDone(int check) {
    monitorChecks = check;
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

  /**
   * Adds a step that is not in the plan (a TTL the finish phase restores) before another, or last.
   */
  void putBefore(String before, StepStatus status) {
    Map<String, StepStatus> all = new LinkedHashMap<>(steps);
    steps.clear();
    all.forEach(
        (name, s) -> {
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

  /**
   * Steps caught running or blocked by an abort say so, instead of looking as if they still ran.
   */
  void closeOpenSteps(String reason) {
    for (StepStatus s : List.copyOf(steps.values())) {
      if (s.state() == StepState.RUNNING || s.state() == StepState.BLOCKED) {
        steps.put(
            s.name(),
            new StepStatus(
                s.phase(),
                s.name(),
                s.kind(),
                s.host(),
                s.description(),
                StepState.FAILED,
                s.attempts(),
                s.round(),
                s.startedAt(),
                s.endedAt(),
                s.exitCode(),
                s.outputTail(),
                s.error() == null ? reason : s.error() + "; " + reason,
                s.errorType() == null ? "Aborted" : s.errorType(),
                s.group(),
                s.branch()));
      }
    }
  }

  /**
   * What the next run starts from, under {@link StateBudget#MAX_BYTES} whatever the loop added:
   * when it does not fit, step texts are cut shorter, level by level, and a note says so.
   */
  Checkpoint checkpoint(
      PhaseName resumeAt,
      int nextPresyncRound,
      int nextMonitorCheck,
      Instant monitorEndsAt,
      GateWait gates,
      DecisionWait decisions,
      DowntimeClock clock) {
    Checkpoint cp = null;
    for (int level = 0; level <= StateBudget.LAST_LEVEL; level++) {
      if (level > 0) {
        note(
            "checkpoint cut to fit " + StateBudget.MAX_BYTES / 1024 + " KB",
            StateBudget.describe(level));
      }
      int lvl = level;
      cp =
          new Checkpoint(
              resumeAt,
              nextPresyncRound,
              nextMonitorCheck,
              monitorEndsAt,
              steps.values().stream().map(s -> StateBudget.cut(s, lvl)).toList(),
              StateBudget.cutGates(gates.all(), lvl),
              List.copyOf(undo),
              StateBudget.last(presyncRounds, lvl),
              StateBudget.last(decisions.all(), lvl),
              List.of(),
              clock.startedAt(),
              clock.endedAt(),
              clock.budgetExceeded(),
              abort.pointOfNoReturnPassed(),
              continuedRuns,
              dns.all(),
              notes.entries(),
              notes.dropped(),
              gates.starter());
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

  /**
   * The run's result, under the same budget as the checkpoint: a payload must fit whatever the
   * steps printed.
   */
  MigrationResult result(String migration, MigrationState outcome, Duration downtime) {
    MigrationResult result = null;
    for (int level = 0; level <= StateBudget.LAST_LEVEL; level++) {
      int lvl = level;
      result =
          new MigrationResult(
              migration,
              outcome,
              downtime,
              steps.values().stream().map(s -> StateBudget.cut(s, lvl)).toList(),
              SignalLimits.clip(abort.reason(), StateBudget.MAX_TEXT_CHARS));
      if (StateBudget.size(result) <= StateBudget.MAX_BYTES) {
        break;
      }
    }
    return result;
  }

  /**
   * The answer to the status query, under {@link StateBudget#MAX_BYTES} whatever the run went
   * through: when it does not fit, step texts and lists are cut, level by level, and it says so.
   */
  MigrationStatus status(
      String migration, Instant now, GateWait gates, DecisionWait decisions, DowntimeClock clock) {
    DowntimeStatus downtime = clock.status(now);
    MigrationStatus status = null;
    for (int level = 0; level <= StateBudget.LAST_STATUS_LEVEL; level++) {
      int lvl = level;
      List<String> lines = new ArrayList<>();
      if (level > 0) {
        lines.add(
            "status cut to fit "
                + StateBudget.MAX_BYTES / 1024
                + " KB: "
                + StateBudget.describe(level)
                + " (the history has everything)");
      }
      lines.addAll(notes.lines(StateBudget.notesShown(level)));
      List<StepStatus> shown =
          steps.values().stream()
              .filter(s -> StateBudget.shows(s, lvl, currentStep, decisions.blockedStep()))
              .map(s -> StateBudget.cut(s, lvl))
              .toList();
      status =
          new MigrationStatus(
              migration,
              state,
              phase,
              currentStep,
              waitingFor,
              SignalLimits.clip(nextAction, StateBudget.MAX_TEXT_CHARS),
              waitingUntil,
              shown,
              StateBudget.cutGates(gates.all(), lvl),
              downtime,
              StateBudget.last(presyncRounds, lvl),
              monitorChecks,
              continuedRuns,
              StateBudget.last(decisions.all(), lvl),
              List.copyOf(lines),
              SignalLimits.clip(abort.reason(), StateBudget.MAX_TEXT_CHARS),
              abort.pointOfNoReturnPassed(),
              dns.all(),
              gates.starter());
      if (StateBudget.size(status) <= StateBudget.MAX_BYTES) {
        break;
      }
    }
    return status;
  }
}
