package dev.cutover.workflow;

import dev.cutover.fleet.FleetWorkflow;
import dev.cutover.fleet.MemberEvent;
import dev.cutover.fleet.MemberEventKind;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowLocal;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * A fleet's member tells its fleet what it waits for (a gate, a decision) and when it goes on, so
 * the fleet opens shared gates and holds the rest of a wave. A run without a parent sends nothing
 * and records nothing: its history is what it was before fleets.
 */
final class FleetLink {
  private static final Logger log = Workflow.getLogger(FleetLink.class);

  /**
   * Version marker of the members' events; asked only by a run that has a parent, so no history of
   * a migration started alone changes.
   */
  static final String CHANGE = "fleet-member-events";

  /** A blocked step's error as the fleet keeps it: enough to say what broke. */
  static final int MAX_DETAIL_CHARS = 500;

  /** Per run: the fleet's workflow id, or {@code null} when the run tells no fleet. */
  private static final WorkflowLocal<String> PARENT = WorkflowLocal.withCachedInitial(() -> null);

  private FleetLink() {}

  /** Decided once at the start of the run: whether it has a fleet to tell. */
  static void begin() {
    Optional<String> parent = Workflow.getInfo().getParentWorkflowId();
    if (parent.isPresent() && Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == 1) {
      PARENT.set(parent.get());
    }
  }

  static void atGate(String gate, String phase) {
    send(MemberEventKind.AT_GATE, phase, gate, null, null);
  }

  static void blocked(String step, String phase, String error) {
    send(MemberEventKind.BLOCKED, phase, null, step, SignalLimits.clip(error, MAX_DETAIL_CHARS));
  }

  /** The gate was approved (or the wait ended by an abort): the run goes on. */
  static void passedGate(String gate, String phase) {
    send(MemberEventKind.RESUMED, phase, gate, null, null);
  }

  /** The blocked step was decided on (or the wait ended by an abort): the run goes on. */
  static void decided(String step, String phase) {
    send(MemberEventKind.RESUMED, phase, null, step, null);
  }

  private static void send(
      MemberEventKind kind, String phase, String gate, String step, String detail) {
    String parent = PARENT.get();
    if (parent == null) {
      return;
    }
    MemberEvent event =
        new MemberEvent(Workflow.getInfo().getWorkflowId(), kind, phase, gate, step, detail);
    FleetWorkflow fleet = Workflow.newExternalWorkflowStub(FleetWorkflow.class, parent);
    // Not waited for, and never canceled with the step: a fleet that has ended must not stop the
    // member, and an abort must not lose the member's last word.
    Workflow.newDetachedCancellationScope(
            () ->
                Async.procedure(fleet::memberEvent, event)
                    .exceptionally(
                        failure -> {
                          log.warn(
                              "fleet {} did not take event {}: {}",
                              parent,
                              kind,
                              failure.getMessage());
                          return null;
                        }))
        .run();
  }
}
