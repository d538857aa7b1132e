package dev.cutover.workflow;

import dev.cutover.plan.NotificationEvent;
import dev.cutover.plan.Notifications;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.DurationText;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.notify.NotifyActivities;
import dev.cutover.steps.notify.NotifyEvent;
import dev.cutover.steps.notify.NotifyRequest;
import dev.cutover.steps.notify.NotifyRequests;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Sends the plan's notifications on the workflow's own events, without ever waiting on them: each
 * is an activity started with {@link Async}, retried a few times, and a delivery that still fails
 * is written to the run's notes (which status shows). A plan without notifications gets no command
 * from here, so histories recorded before notifications existed replay unchanged.
 */
final class Notifier {
  private static final Logger log = Workflow.getLogger(Notifier.class);

  /**
   * A few tries ride out a receiver's restart; a notification later than that is worth less than
   * the note saying it failed.
   */
  static final int ATTEMPTS = 3;

  /** One try sends both channels, each with its connect and read timeouts. */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(90);

  /** First pause between tries (doubled after each). */
  static final Duration RETRY_INTERVAL = Duration.ofSeconds(10);

  /**
   * The end of a run (or a continue-as-new) waits this long at most for notifications still in
   * flight, which would be lost.
   */
  static final Duration FLUSH_LIMIT = Duration.ofMinutes(5);

  /** Heartbeats come after each delivered channel only: longer than one channel can take. */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofMinutes(1);

  private final Plan plan;
  private final MigrationRecord record;
  private final String workflowId;
  private NotifyActivities activities;
  private int sent;
  private int inFlight;

  Notifier(Plan plan, MigrationRecord record, String workflowId) {
    this.plan = plan;
    this.record = record;
    this.workflowId = workflowId;
  }

  boolean sends(NotificationEvent event) {
    Notifications n = plan.notifications();
    return n != null && n.sends(event);
  }

  void gateOpened(String gate, String before, String description) {
    send(
        NotificationEvent.GATE_OPENED,
        "Gate " + gate + " waits for approval (" + plan.migration() + ")",
        description,
        fields(
            "gate",
            gate,
            "before phase",
            before,
            "approve with",
            OperatorHints.approveAction(workflowId, gate)));
  }

  /**
   * Reminds of the open gate every remindEvery until the returned scope is canceled (when the wait
   * ends); {@code null}, and no timer, when the plan asks for no reminders.
   */
  CancellationScope remindWhileOpen(String gate, String before) {
    if (!sends(NotificationEvent.GATE_REMINDER)) {
      return null;
    }
    Duration every = TemporalLimits.check(plan.notifications().remindEvery(), "remindEvery");
    CancellationScope scope =
        Workflow.newCancellationScope(
            () ->
                Async.procedure(
                    () -> {
                      for (int reminder = 1; ; reminder++) {
                        Workflow.newTimer(
                                every,
                                TimerOptions.newBuilder()
                                    .setSummary("reminder: gate " + gate + " still waits")
                                    .build())
                            .get();
                        String waited = DurationText.format(every.multipliedBy(reminder));
                        // Detached: an approval that cancels the reminders must not cut off one
                        // already being sent.
                        Workflow.newDetachedCancellationScope(
                                () ->
                                    send(
                                        NotificationEvent.GATE_REMINDER,
                                        "Reminder: gate "
                                            + gate
                                            + " has waited "
                                            + waited
                                            + " ("
                                            + plan.migration()
                                            + ")",
                                        null,
                                        fields(
                                            "gate",
                                            gate,
                                            "before phase",
                                            before,
                                            "waiting for",
                                            waited,
                                            "approve with",
                                            OperatorHints.approveAction(workflowId, gate))))
                            .run();
                      }
                    }));
    scope.run();
    return scope;
  }

  void stepBlocked(String step, String place, String error) {
    send(
        NotificationEvent.STEP_BLOCKED,
        "Step " + step + " failed and waits for a decision (" + plan.migration() + ")",
        error,
        fields(
            "step",
            step,
            "on",
            place,
            "decide with",
            OperatorHints.decideAction(workflowId, step)));
  }

  void downtimeStarted(String phase, String step) {
    Duration budget = plan.window() == null ? null : plan.window().downtimeBudget();
    send(
        NotificationEvent.DOWNTIME_STARTED,
        "Downtime started (" + plan.migration() + ")",
        null,
        fields(
            "phase",
            phase,
            "first step",
            step,
            "budget",
            budget == null ? null : DurationText.format(budget)));
  }

  void downtimeEnded(Duration lasted) {
    send(
        NotificationEvent.DOWNTIME_ENDED,
        "Downtime ended after " + DurationText.format(lasted) + " (" + plan.migration() + ")",
        null,
        fields("downtime", DurationText.format(lasted)));
  }

  void finished(MigrationState outcome, String reason) {
    if (outcome == MigrationState.COMPLETED) {
      send(
          NotificationEvent.MIGRATION_DONE,
          "Migration " + plan.migration() + " completed",
          null,
          fields("workflow", workflowId));
    } else {
      String state = outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ');
      send(
          NotificationEvent.MIGRATION_ABORTED,
          "Migration " + plan.migration() + " " + state,
          reason,
          fields("workflow", workflowId, "state", state));
    }
  }

  /**
   * Before the run closes or continues as new: an activity still in flight then would be lost with
   * its report, so wait for it, bounded, as the last thing the run does.
   */
  void flush() {
    if (inFlight > 0) {
      Workflow.await(FLUSH_LIMIT, () -> inFlight == 0);
    }
  }

  private void send(
      NotificationEvent event, String title, String message, Map<String, String> fields) {
    if (!sends(event)) {
      return;
    }
    sent++;
    String key =
        workflowId
            + "/"
            + Workflow.getInfo().getRunId()
            + "/"
            + sent
            + "-"
            + event.name().toLowerCase(Locale.ROOT).replace('_', '-');
    NotifyRequest request =
        NotifyRequests.of(
            plan, null, workflowId, key, NotifyEvent.valueOf(event.name()), title, message, fields);
    inFlight++;
    Async.function(stub()::send, request)
        .handle(
            (result, failure) -> {
              inFlight--;
              if (failure != null && !canceled(failure)) {
                String kind =
                    "notification "
                        + event.name().toLowerCase(Locale.ROOT).replace('_', '-')
                        + " not delivered";
                record.note(kind, reason(failure) + " ('" + title + "')");
                log.warn("{}: '{}': {}", kind, title, reason(failure));
              }
              return null;
            });
  }

  private NotifyActivities stub() {
    if (activities == null) {
      activities =
          Workflow.newActivityStub(
              NotifyActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(ATTEMPT_TIMEOUT)
                  .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                  .setRetryOptions(
                      RetryOptions.newBuilder()
                          .setMaximumAttempts(ATTEMPTS)
                          .setInitialInterval(RETRY_INTERVAL)
                          .setDoNotRetry(CutoverErrors.NON_RETRYABLE.toArray(new String[0]))
                          .build())
                  .setSummary("notification")
                  .build());
    }
    return activities;
  }

  private static boolean canceled(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CanceledFailure) {
        return true;
      }
    }
    return false;
  }

  private static String reason(Throwable failure) {
    Throwable cause = failure.getCause() == null ? failure : failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure t) {
      return "timed out (" + t.getTimeoutType() + ")";
    }
    return String.valueOf(cause.getMessage());
  }

  /** Name/value pairs in order, leaving out the null values. */
  private static Map<String, String> fields(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (pairs[i + 1] != null) {
        map.put(pairs[i], pairs[i + 1]);
      }
    }
    return map;
  }
}
