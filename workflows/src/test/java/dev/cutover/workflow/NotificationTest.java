package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.notify.NotifyEvent;
import dev.cutover.steps.notify.NotifyRequest;
import dev.cutover.steps.run.RunResult;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The workflow's own notifications: sent on its events, never waited on, reported when
 * undeliverable.
 */
class NotificationTest extends WorkflowTestSupport {
  static final String PLAN =
      """
      migration: notified
      hosts: {old: {}}
      secrets:
        slack: env:SLACK_WEBHOOK
        smtp-user: env:SMTP_USER
        smtp-password: file:/etc/cutover/smtp
      notifications:
        webhook: slack
        email:
          host: smtp.example.org
          userSecret: smtp-user
          passwordSecret: smtp-password
          from: cutover@example.org
          to: [ops@example.org]
        remindEvery: 30m
      gates:
        - {name: go-downtime, before: downtime, description: check the presync first}
      phases:
        prepare:  {steps: [{name: prep, kind: run, host: old, command: prep}]}
        downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        switch:   {steps: [{name: flip, kind: run, host: old, command: flip, retry: {maxAttempts: 1}}]}
      """;

  final RecordingNotifyActivities notify = new RecordingNotifyActivities();

  @Override
  Object[] moreActivities() {
    // HostStepsFake answers preflight, which a plan with a notify step runs.
    return new Object[] {notify, new HostStepsFake()};
  }

  @Test
  void anOpenGateNotifiesThenRemindsUntilApproved() {
    // given a run waiting at its gate
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);

    // when two and a half reminder periods pass, and then the gate is approved
    env.sleep(Duration.ofMinutes(75));
    List<NotifyEvent> beforeApproval = notify.events();
    workflow.approveGate(new ApproveRequest("go-downtime", "go", "alice"));
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);

    // then the gate was announced with the command to approve it, reminded of twice, and never
    // after the approval
    assertThat(beforeApproval)
        .containsExactly(
            NotifyEvent.GATE_OPENED, NotifyEvent.GATE_REMINDER, NotifyEvent.GATE_REMINDER);
    NotifyRequest opened = notify.of(NotifyEvent.GATE_OPENED).get(0);
    assertThat(opened.title()).contains("go-downtime");
    assertThat(opened.message()).isEqualTo("check the presync first");
    assertThat(opened.fields())
        .containsEntry("gate", "go-downtime")
        .containsEntry("before phase", "downtime");
    assertThat(opened.fields().get("approve with"))
        .contains("cutover approve " + ID + " go-downtime");
    assertThat(notify.of(NotifyEvent.GATE_REMINDER))
        .extracting(r -> r.fields().get("waiting for"))
        .containsExactly("30m", "1h");
    assertThat(notify.of(NotifyEvent.GATE_REMINDER)).hasSize(2);
    // and the requests carry secret references only, and a key of their own
    assertThat(opened.webhookUrlSecret()).isEqualTo("env:SLACK_WEBHOOK");
    assertThat(opened.smtp().passwordSecret()).isEqualTo("file:/etc/cutover/smtp");
    assertThat(opened.smtp().startTls()).isTrue();
    assertThat(notify.requests).extracting(NotifyRequest::key).doesNotHaveDuplicates();
  }

  @Test
  void downtimeStartAndEndAndTheEndOfTheRunAreNotified() {
    // given a run past its gate
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);
    workflow.approveGate(new ApproveRequest("go-downtime", null, null));

    // when it completes
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);

    // then the gate and the downtime's start were sent in order, then its end and done (sent
    // together: either may arrive first)
    assertThat(notify.events())
        .hasSize(4)
        .startsWith(NotifyEvent.GATE_OPENED, NotifyEvent.DOWNTIME_STARTED)
        .contains(NotifyEvent.DOWNTIME_ENDED, NotifyEvent.MIGRATION_DONE);
    assertThat(notify.of(NotifyEvent.DOWNTIME_STARTED).get(0).fields())
        .containsEntry("first step", "stop");
    assertThat(notify.of(NotifyEvent.MIGRATION_DONE).get(0).title())
        .isEqualTo("Migration notified completed");
  }

  @Test
  void aBlockedStepIsNotifiedAndAnAbortToo() {
    // given a switch step that fails
    run.answer(
        r -> {
          if (r.command().equals("flip")) {
            throw ApplicationFailure.newFailure(
                "step flip on host old: exit code 1; last output: no route",
                CutoverErrors.COMMAND_FAILED);
          }
          return new RunResult(0, "", 1, false);
        });
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);
    workflow.approveGate(new ApproveRequest("go-downtime", null, null));

    // when it blocks, and the operator decides abort
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);
    awaitStatus(workflow, s -> !notify.of(NotifyEvent.STEP_BLOCKED).isEmpty());
    workflow.decideStep(new DecideRequest("flip", DecisionAction.ABORT, "no route", "bob"));

    // then the block was notified with the error and the command to decide, and the abort too
    assertThat(result().outcome()).isEqualTo(MigrationState.ABORTED);
    NotifyRequest blocked = notify.of(NotifyEvent.STEP_BLOCKED).get(0);
    assertThat(blocked.message()).contains("no route");
    assertThat(blocked.fields()).containsEntry("step", "flip");
    assertThat(blocked.fields().get("decide with")).contains("cutover decide " + ID + " flip");
    NotifyRequest aborted = notify.of(NotifyEvent.MIGRATION_ABORTED).get(0);
    assertThat(aborted.title()).isEqualTo("Migration notified aborted");
    assertThat(aborted.message()).contains("decided abort at step flip");
    // (the two last are sent together; which arrives first is up to the receivers)
    assertThat(notify.events()).contains(NotifyEvent.DOWNTIME_ENDED, NotifyEvent.MIGRATION_ABORTED);
  }

  @Test
  void anUndeliverableNotificationNeitherBlocksTheRunNorGoesUnreported() {
    // given notifications that can never be delivered, and a plan without a gate
    notify.failWith = "webhook (env:SLACK_WEBHOOK): the receiver answered HTTP 503; retried";
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                PLAN.replace(
                    "gates:\n  - {name: go-downtime, before: downtime, description: check the presync first}\n",
                    "")));

    // when the run goes through
    MigrationResult result = result();

    // then it completed, every notification was tried the allotted times, and each failure is in
    // the notes
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(run.commands).containsExactly("prep", "stop", "flip");
    assertThat(notify.requests).hasSize(3 * Notifier.ATTEMPTS);
    assertThat(workflow.status().notes())
        .filteredOn(n -> n.startsWith("notification"))
        .hasSize(3)
        .allMatch(
            n ->
                n.contains(
                    "not delivered: webhook (env:SLACK_WEBHOOK): the receiver answered HTTP 503"));
  }

  @Test
  void aNotifyStepSendsItsMessage() {
    // given a plan with a notify step
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                PLAN.replace(
                        "gates:\n  - {name: go-downtime, before: downtime, description: check the presync first}\n",
                        "")
                    .replace(
                        "prepare:  {steps: [{name: prep, kind: run, host: old, command: prep}]}",
                        "prepare:  {steps: [{name: tell, kind: notify, description: Downtime tonight, message: 'Shop goes read-only at 22:00'}]}")));

    // when the run goes through
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);

    // then the step's message went out as a step notification, and the step succeeded
    NotifyRequest sent = notify.of(NotifyEvent.STEP).get(0);
    assertThat(sent.step()).isEqualTo("tell");
    assertThat(sent.title()).isEqualTo("Downtime tonight");
    assertThat(sent.message()).isEqualTo("Shop goes read-only at 22:00");
    assertThat(step(workflow.status(), "tell").state()).isEqualTo(StepState.SUCCEEDED);
  }

  @Test
  void aNotifyStepThatCannotDeliverIsReportedAndTheRunGoesOn() {
    // given a notify step whose notification cannot be delivered
    notify.failWith =
        "e-mail: the SMTP server smtp.example.org:587 refused the connection; retried";
    MigrationWorkflow workflow =
        start(
            Plans.parse(
                PLAN.replace(
                        "gates:\n  - {name: go-downtime, before: downtime, description: check the presync first}\n",
                        "")
                    .replace(
                        "prepare:  {steps: [{name: prep, kind: run, host: old, command: prep}]}",
                        "prepare:  {steps: [{name: tell, kind: notify, message: hello, retry: {maxAttempts: 2, initialInterval: 1s}}]}")));

    // when the run goes through
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);

    // then the step failed without blocking (notify continues by default) and says why
    assertThat(step(workflow.status(), "tell").state()).isEqualTo(StepState.FAILED);
    assertThat(workflow.status().notes())
        .anyMatch(
            n ->
                n.startsWith(
                    "step tell failed and the plan says continue: e-mail: the SMTP server"));
  }
}
