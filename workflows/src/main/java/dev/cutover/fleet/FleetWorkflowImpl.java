package dev.cutover.fleet;

import dev.cutover.workflow.AbortAccepted;
import dev.cutover.workflow.AbortRequest;
import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.GateApproval;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationResult;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.MigrationWorkflowImpl;
import dev.cutover.workflow.SignalLimits;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Moves a fleet (issue 19): each service a child {@code Migration} with its own history, wave after
 * wave; inside a wave a service starts when its dependencies completed and the fleet's limit
 * allows. Shared gates are approved once for a wave and passed on to each member waiting at them;
 * an abort stops starting services and aborts every member in flight. Every command (child starts,
 * signals to members, search attributes) is issued from {@link #run}'s loop; handlers only change
 * state and wake it.
 */
public class FleetWorkflowImpl implements FleetWorkflow {
  private static final Logger log = Workflow.getLogger(FleetWorkflowImpl.class);

  /** Events a member may send that the fleet notes as foreign: enough to see a misdirected run. */
  static final int MAX_FOREIGN_NOTES = 10;

  /** Names and phases in a member's event: the plan's words, never longer than a gate's name. */
  static final int MAX_EVENT_NAME_CHARS = SignalLimits.MAX_NAME_CHARS;

  private final Fleet fleet;
  private final FleetPlanner planner;
  private final SharedGates gates;
  private final FleetNotes notes = new FleetNotes();
  private final List<Promise<Void>> sends = new ArrayList<>();

  /** Bumped by every change the loop must look at: a member's event or end, an operator's word. */
  private int tick;

  private FleetWave current;

  /** Each wave's start and end, once it started. */
  private final Map<String, Instant[]> waveTimes = new LinkedHashMap<>();

  private String state = "running";
  private String abortReason;
  private String abortBy;
  private boolean aborting;
  private int foreignEvents;
  private String shownWaitingFor = "";

  @WorkflowInit
  public FleetWorkflowImpl(FleetInput input) {
    this.fleet = input.fleet();
    this.planner = new FleetPlanner(fleet);
    this.gates = new SharedGates(fleet);
  }

  @Override
  public FleetResult run(FleetInput input) {
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.MIGRATION.valueSet(fleet.fleet()));
    try {
      for (FleetWave wave : fleet.waves()) {
        runWave(wave);
      }
    } catch (CanceledFailure canceled) {
      Workflow.newDetachedCancellationScope(
              () -> {
                if (!aborting) {
                  aborting = true;
                  abortReason = "fleet cancellation requested";
                }
                while (planner.inFlight() > 0) {
                  int seen = tick;
                  act(null);
                  Workflow.await(() -> tick != seen || planner.inFlight() == 0);
                }
                act(null);
              })
          .run();
    }
    Workflow.newDetachedCancellationScope(this::finish).run();
    return result();
  }

  private void runWave(FleetWave wave) {
    current = wave;
    if (!aborting) {
      waveTimes.put(wave.name(), new Instant[] {now(), null});
    }
    while (true) {
      int seen = tick;
      act(wave);
      if (planner.ended(wave)) {
        break;
      }
      Workflow.await(() -> tick != seen);
    }
    if (waveTimes.containsKey(wave.name())) {
      waveTimes.get(wave.name())[1] = now();
    }
    log.info("wave {} ended", wave.name());
  }

  /** One look at the fleet: start, skip, pass approvals and aborts on, keep search attributes. */
  private void act(FleetWave wave) {
    if (aborting) {
      long before = skippedCount();
      planner.skipNotStarted("the fleet was aborted");
      if (skippedCount() != before) {
        tick++;
      }
      for (FleetMember m : planner.all()) {
        if (m.signallable() && !m.abortSent()) {
          m.abortSent(true);
          signal(
              m,
              CutoverNames.SIGNAL_ABORT,
              new AbortRequest("fleet " + fleet.fleet() + " aborted: " + abortReason, by(abortBy)));
        }
      }
    } else if (wave != null) {
      long before = skippedCount();
      for (FleetMember m : planner.startable(wave)) {
        launch(m);
      }
      if (skippedCount() != before) {
        tick++;
      }
      passApprovals(wave);
    }
    String waiting = waitingFor();
    state = aborting ? "aborting" : (planner.held() ? "held" : "running");
    if (!waiting.equals(shownWaitingFor)) {
      shownWaitingFor = waiting;
      Workflow.setCurrentDetails(details(waiting));
      Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.WAITING_FOR.valueSet(waiting));
    }
  }

  private long skippedCount() {
    return planner.all().stream().filter(m -> FleetMember.SKIPPED.equals(m.state())).count();
  }

  private void launch(FleetMember m) {
    m.launched(now());
    tick++;
    log.info("starting service {} as {}", m.name(), m.service.workflowId());
    ChildWorkflowOptions options =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(m.service.workflowId())
            .setTaskQueue(CutoverNames.TASK_QUEUE)
            // A fleet that ends by accident must never roll back its members mid-flight.
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .build();
    MigrationWorkflow child = Workflow.newChildWorkflowStub(MigrationWorkflow.class, options);
    // Started outside the run's scope: canceling the fleet aborts members by signal, as the
    // operator's abort does, never by canceling them under it.
    Workflow.newDetachedCancellationScope(
            () -> {
              Promise<MigrationResult> result =
                  Async.function(child::run, MigrationInput.of(m.service.plan()));
              Workflow.getWorkflowExecution(child)
                  .handle(
                      (execution, failure) -> {
                        if (failure == null) {
                          m.executionStarted();
                          tick++;
                        }
                        return null;
                      });
              result.handle(
                  (r, failure) -> {
                    ended(m, r, failure);
                    return null;
                  });
            })
        .run();
  }

  private void ended(FleetMember m, MigrationResult result, Exception failure) {
    String outcome;
    String detail = null;
    if (failure == null) {
      outcome =
          result == null || result.outcome() == null
              ? FleetMember.COMPLETED
              : result.outcome().name().toLowerCase(Locale.ROOT);
    } else {
      Throwable cause = failure instanceof ChildWorkflowFailure c ? c.getCause() : failure;
      if (cause instanceof ApplicationFailure a
          && MigrationWorkflowImpl.MIGRATION_ABORTED.equals(a.getType())) {
        outcome = "aborted";
      } else if (cause instanceof ApplicationFailure a
          && MigrationWorkflowImpl.MIGRATION_HELD.equals(a.getType())) {
        outcome = "held";
      } else if (cause instanceof CanceledFailure) {
        outcome = "aborted";
      } else {
        outcome = "failed";
      }
      detail = FleetNotes.clip(cause == null ? failure.getMessage() : cause.getMessage(), 500);
    }
    m.ended(outcome, detail, now());
    log.info("service {} ended {}", m.name(), outcome);
    tick++;
  }

  /** Approved shared gates of the wave: members waiting at one are approved on the fleet's word. */
  private void passApprovals(FleetWave wave) {
    if (planner.held()) {
      return; // held: nobody goes into the gated phase until the blocked member is decided on
    }
    for (SharedGate g : wave.gates()) {
      if (!gates.approved(g.name())) {
        continue;
      }
      for (FleetMember m : planner.wave(wave)) {
        if (m.signallable() && g.name().equals(m.gate()) && !m.approvalSent(g.name())) {
          m.markApprovalSent(g.name());
          signal(
              m,
              CutoverNames.SIGNAL_APPROVE,
              new ApproveRequest(
                  g.name(), gates.comment(g.name()), by(gates.approvedBy(g.name()))));
        }
      }
    }
  }

  /** Who, as a member records it: the fleet and the person, within a migration's limit. */
  private String by(String who) {
    String prefix = "fleet " + fleet.fleet() + ": ";
    String shown = prefix + (who == null ? "unknown" : who);
    return shown.length() <= SignalLimits.MAX_BY_CHARS
        ? shown
        : shown.substring(0, SignalLimits.MAX_BY_CHARS);
  }

  private void signal(FleetMember m, String name, Object argument) {
    var stub = Workflow.newUntypedExternalWorkflowStub(m.service.workflowId());
    Promise<Void> sent =
        Async.procedure(() -> stub.signal(name, argument))
            .exceptionally(
                failure -> {
                  notes.add(
                      "could not send " + name + " to " + m.name() + ": " + failure.getMessage());
                  return null;
                });
    sends.add(sent);
  }

  private void finish() {
    Promise.allOf(sends).get();
    Workflow.await(Workflow::isEveryHandlerFinished);
    boolean allCompleted = planner.all().stream().allMatch(FleetMember::completed);
    state = aborting ? "aborted" : (allCompleted ? "completed" : "failed");
    shownWaitingFor = "";
    Workflow.upsertTypedSearchAttributes(CutoverSearchAttributes.WAITING_FOR.valueSet(""));
    log.info("fleet {} {}", fleet.fleet(), state);
  }

  private FleetResult result() {
    return new FleetResult(
        fleet.fleet(), state, planner.all().stream().map(FleetMember::status).toList());
  }

  /** What the fleet itself waits for: a decision while held, else an open shared gate. */
  private String waitingFor() {
    if (aborting || current == null) {
      return "";
    }
    if (planner.held()) {
      FleetMember blocked = planner.firstBlocked();
      return "decision:" + blocked.name() + "/" + blocked.firstBlockedStep();
    }
    for (SharedGate g : current.gates()) {
      if (gates.open(g.name(), planner.wave(current))) {
        return "gate:" + g.name();
      }
    }
    return "";
  }

  /** What the Temporal UI shows on the fleet: what it waits for and the exact thing to send. */
  private String details(String waiting) {
    String name = fleet.fleet();
    if (waiting.startsWith("gate:")) {
      String gate = waiting.substring("gate:".length());
      return "Fleet "
          + name
          + " waits at shared gate "
          + gate
          + ": every member of the wave in flight is there. Approve it once for all: cutover fleet approve "
          + name
          + " "
          + gate
          + " --comment '...'  |  or in the Temporal UI Send an Update '"
          + CutoverNames.UPDATE_APPROVE
          + "' with {\"gate\": \""
          + gate
          + "\", \"comment\": \"why\"}";
    }
    if (waiting.startsWith("decision:")) {
      FleetMember blocked = planner.firstBlocked();
      return "Fleet "
          + name
          + " is held: "
          + blocked.name()
          + " waits for a decision at step "
          + blocked.firstBlockedStep()
          + ". Decide on the member: cutover decide "
          + blocked.service.workflowId()
          + " "
          + blocked.firstBlockedStep()
          + " retry|skip|abort --comment '...'";
    }
    return "Fleet " + name + (current == null ? "" : ": wave " + current.name() + " in flight");
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  // --- handlers: they change state and wake the loop ----------------------------------------

  @Override
  public void approve(RawValue raw) {
    ApproveRequest request = read(CutoverNames.SIGNAL_APPROVE, raw, ApproveRequest.class);
    if (request == null) {
      return;
    }
    String problem = approvalProblem(request, false);
    if (problem != null) {
      notes.add("approve ignored: " + problem);
      return;
    }
    approveGate(
        new ApproveRequest(
            request.gate(),
            FleetNotes.clip(request.comment(), SignalLimits.MAX_COMMENT_CHARS),
            FleetNotes.clip(request.by(), SignalLimits.MAX_BY_CHARS)));
  }

  @Override
  public GateApproval approveGate(ApproveRequest request) {
    Instant at = now();
    gates.approve(request.gate(), request.by(), request.comment(), at);
    notes.add(
        "shared gate "
            + request.gate()
            + " approved"
            + (request.by() == null ? "" : " by " + request.by()));
    tick++;
    return new GateApproval(request.gate(), at, request.comment(), request.by());
  }

  @Override
  public void validateApproveGate(ApproveRequest request) {
    String problem = approvalProblem(request, true);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Why an approval does not apply now, or {@code null} when it does. */
  private String approvalProblem(ApproveRequest r, boolean update) {
    if (r == null || r.gate() == null) {
      return "no gate named: send {\"gate\": \"NAME\", \"comment\": \"why\"}";
    }
    if (r.malformed() != null) {
      return r.malformed();
    }
    String tooLong =
        r.gate().length() > SignalLimits.MAX_NAME_CHARS
            ? tooLong("gate", r.gate(), SignalLimits.MAX_NAME_CHARS)
            : null;
    if (update && tooLong == null) {
      // A signal's comment and name are cut to the limit instead: a signal cannot be refused.
      tooLong = tooLong("comment", r.comment(), SignalLimits.MAX_COMMENT_CHARS);
      tooLong = tooLong != null ? tooLong : tooLong("by", r.by(), SignalLimits.MAX_BY_CHARS);
    }
    if (tooLong != null) {
      return tooLong;
    }
    if (!gates.exists(r.gate())) {
      return "fleet "
          + fleet.fleet()
          + " has no shared gate "
          + SignalLimits.quote(r.gate())
          + (gates.names().isEmpty()
              ? ""
              : "; its shared gates: " + String.join(", ", gates.names()))
          + " (a member's own gate is approved on the member's workflow)";
    }
    if (isEnded()) {
      return "the fleet has ended (" + state + ")";
    }
    if (aborting) {
      return "the fleet is aborting";
    }
    if (gates.approved(r.gate())) {
      return "shared gate " + r.gate() + " is already approved by " + gates.approvedBy(r.gate());
    }
    FleetWave wave = gates.wave(r.gate());
    if (wave != current) {
      return "shared gate "
          + r.gate()
          + " belongs to wave "
          + wave.name()
          + ", which "
          + (waveTimes.containsKey(wave.name()) ? "has ended" : "has not started");
    }
    if (planner.held()) {
      return "shared gate " + r.gate() + " is not open: the fleet is held, " + waitingFor();
    }
    List<FleetMember> members = planner.wave(wave);
    if (!gates.open(r.gate(), members)) {
      return "shared gate "
          + r.gate()
          + " is not open: it still waits for "
          + String.join(", ", gates.waitingOn(r.gate(), members));
    }
    return null;
  }

  private static String tooLong(String field, String value, int max) {
    return value == null || value.length() <= max
        ? null
        : "field '" + field + "' has " + value.length() + " characters; the limit is " + max;
  }

  private boolean isEnded() {
    return state.equals("completed") || state.equals("failed") || state.equals("aborted");
  }

  @Override
  public void abort(RawValue raw) {
    AbortRequest request = read(CutoverNames.SIGNAL_ABORT, raw, AbortRequest.class);
    if (request == null && raw != null && raw.getPayload() != null) {
      return;
    }
    String problem = abortProblem(request, false);
    if (problem != null) {
      notes.add("abort ignored: " + problem);
      return;
    }
    abortMigration(
        request == null
            ? null
            : new AbortRequest(
                FleetNotes.clip(request.reason(), SignalLimits.MAX_REASON_CHARS),
                FleetNotes.clip(request.by(), SignalLimits.MAX_BY_CHARS)));
  }

  @Override
  public AbortAccepted abortMigration(AbortRequest request) {
    aborting = true;
    abortReason =
        request == null || request.reason() == null ? "no reason given" : request.reason();
    abortBy = request == null ? null : request.by();
    List<String> inFlight =
        planner.all().stream().filter(FleetMember::inFlight).map(FleetMember::name).toList();
    notes.add("abort requested" + (abortBy == null ? "" : " by " + abortBy) + ": " + abortReason);
    log.info("fleet abort requested: {}", abortReason);
    tick++;
    return new AbortAccepted(
        true,
        "the fleet starts no more services and aborts "
            + inFlight.size()
            + " member(s) in flight"
            + (inFlight.isEmpty() ? "" : ": " + String.join(", ", inFlight))
            + "; each undoes its finished steps unless past its point of no return");
  }

  @Override
  public void validateAbortMigration(AbortRequest request) {
    String problem = abortProblem(request, true);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  private String abortProblem(AbortRequest r, boolean update) {
    if (r != null && r.malformed() != null) {
      return r.malformed();
    }
    if (update && r != null) {
      // A signal's reason and name are cut to the limit instead: a signal cannot be refused.
      String tooLong = tooLong("reason", r.reason(), SignalLimits.MAX_REASON_CHARS);
      tooLong = tooLong != null ? tooLong : tooLong("by", r.by(), SignalLimits.MAX_BY_CHARS);
      if (tooLong != null) {
        return tooLong;
      }
    }
    if (isEnded()) {
      return "the fleet has ended (" + state + ")";
    }
    if (aborting) {
      return "the fleet is already aborting: " + abortReason;
    }
    return null;
  }

  @Override
  public void memberEvent(MemberEvent event) {
    FleetMember m = event == null ? null : planner.byWorkflowId(event.workflowId());
    if (m == null) {
      if (foreignEvents++ < MAX_FOREIGN_NOTES) {
        notes.add(
            "memberEvent from "
                + SignalLimits.quote(event == null ? null : event.workflowId())
                + ", which is not a member of the fleet: ignored");
      }
      return;
    }
    if (!m.inFlight() || event.kind() == null) {
      return;
    }
    String phase = name(event.phase());
    String gate = name(event.gate());
    String step = name(event.step());
    switch (event.kind()) {
      case AT_GATE -> m.atGate(gate, phase);
      case BLOCKED -> {
        m.blocked(step, phase, FleetNotes.clip(event.detail(), FleetNotes.MAX_NOTE_CHARS));
        if (fleet.onFailure() == FleetFailurePolicy.HOLD) {
          notes.add("held: " + m.name() + " waits for a decision at step " + step);
        }
      }
      case RESUMED -> m.resumed(gate, step, phase);
    }
    tick++;
  }

  private static String name(String value) {
    return FleetNotes.clip(value, MAX_EVENT_NAME_CHARS);
  }

  /** A signal's argument as the SDK would read it; {@code null}, noted, when it is no JSON. */
  private <T> T read(String signal, RawValue raw, Class<T> type) {
    if (raw == null || raw.getPayload() == null) {
      return null;
    }
    try {
      return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(raw.getPayload(), type, type);
    } catch (RuntimeException unreadable) {
      notes.add(signal + " ignored: the argument cannot be read as JSON");
      return null;
    }
  }

  @Override
  public FleetStatus status() {
    boolean held = planner.held();
    List<FleetWaveStatus> waves = new ArrayList<>();
    for (FleetWave wave : fleet.waves()) {
      List<FleetMember> members = planner.wave(wave);
      Instant[] times = waveTimes.get(wave.name());
      String waveState =
          times == null
              ? "pending"
              : (times[1] != null ? "ended" : (held && wave == current ? "held" : "running"));
      waves.add(
          new FleetWaveStatus(
              wave.name(),
              waveState,
              wave.gates().stream()
                  .map(g -> gates.status(g.name(), members, held && wave == current))
                  .toList(),
              times == null ? null : times[0],
              times == null ? null : times[1]));
    }
    return new FleetStatus(
        fleet.fleet(),
        fleet.description(),
        state,
        isEnded() ? "" : waitingFor(),
        waves,
        planner.all().stream().map(FleetMember::status).toList(),
        notes.all());
  }
}
