package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A plan of days runs in seconds under time skipping, with the waits the plan asks for. */
class MigrationScheduleTest extends WorkflowTestSupport {

  @Test
  void daysLongPlanRunsEveryPhaseWithItsTimers() {
    // given a plan with a 2-day TTL wait, presync every 8h until a window 3 days out, 7 days of
    // hourly monitoring
    Instant t0 = Instant.ofEpochMilli(env.currentTimeMillis());
    Instant window = t0.plus(Duration.ofDays(3));
    var plan =
        Plans.parse(
            """
        migration: long-run
        hosts: {old: {}, new: {}}
        window: {notBefore: %s, downtimeBudget: 1h}
        gates:
          - {name: go-downtime, before: downtime}
        phases:
          prepare:  {steps: [{name: check, kind: run, host: old, command: "true"}]}
          lower-ttl:
            oldTtl: 2d
            steps: [{name: lower-ttl, kind: run, host: old, command: lower}]
          presync:
            every: 8h
            steps: [{name: presync-files, kind: run, host: new, command: sync}]
          downtime: {steps: [{name: final-sync, kind: run, host: new, command: final}]}
          switch:   {steps: [{name: flip, kind: run, host: old, command: flip}]}
          verify:   {steps: [{name: check-new, kind: run, host: new, command: check}]}
          monitor:
            every: 1h
            for: 7d
            steps: [{name: watch, kind: run, host: new, command: watch}]
          finish:   {steps: [{name: restore-ttl, kind: run, host: old, command: restore}]}
        """
                .formatted(window));

    // when it starts and the downtime gate is approved once it opens
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> s.state() == MigrationState.WAITING_FOR_GATE);
    workflow.approveGate(new ApproveRequest("go-downtime", "window is near", "tester"));
    MigrationResult result = result();

    // then it completed with three presync rounds, a check every hour for 7 days, and the downtime
    // measured
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    MigrationStatus status = workflow.status();
    assertThat(status.presyncRounds()).hasSize(3);
    assertThat(status.monitorChecks()).isEqualTo(7 * 24);
    assertThat(run.commands.stream().filter("watch"::equals).count()).isEqualTo(7 * 24);
    assertThat(result.downtime()).isNotNull().isLessThan(Duration.ofHours(1));

    // and the history's own clock shows the waits: the TTL timer of 2 days, downtime not before the
    // window
    List<HistoryEvent> events = client.fetchHistory(ID).getHistory().getEventsList();
    assertThat(timerSummaries(events)).contains("wait out the old DNS TTL (2d)");
    HistoryEvent ttlTimer =
        events.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
            .filter(
                e ->
                    e.getTimerStartedEventAttributes().getStartToFireTimeout().getSeconds()
                        == Duration.ofDays(2).toSeconds())
            .findFirst()
            .orElseThrow();
    assertThat(ttlTimer).isNotNull();
    Instant finalSyncStarted = step(result, "final-sync").startedAt();
    assertThat(finalSyncStarted).isAfterOrEqualTo(window);
    Duration virtual = Duration.between(time(events.get(0)), time(events.get(events.size() - 1)));
    assertThat(virtual).isGreaterThanOrEqualTo(Duration.ofDays(3 + 7).minusHours(1));
  }

  @Test
  void presyncWithoutWindowRunsTheGivenRounds() {
    // given presync with 2 rounds and no window
    var plan =
        Plans.parse(
            """
        migration: rounds
        hosts: {new: {}}
        phases:
          presync:
            every: 4h
            rounds: 2
            steps: [{name: sync, kind: run, host: new, command: sync}]
        """);

    // when it runs
    start(plan);
    MigrationResult result = result();

    // then exactly two rounds ran, 4 hours apart
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(run.commands).containsExactly("sync", "sync");
  }

  @Test
  void waitStepIsADurableTimerWithASummary() {
    // given a plan whose only step waits a day
    var plan =
        Plans.parse(
            """
        migration: waits
        hosts: {old: {}}
        phases:
          prepare: {steps: [{name: settle, kind: wait, duration: 1d}]}
        """);

    // when it runs
    start(plan);
    result();

    // then the history holds a one-day timer named after the step
    List<HistoryEvent> events = client.fetchHistory(ID).getHistory().getEventsList();
    assertThat(timerSummaries(events)).containsExactly("wait step settle (1d)");
  }

  static List<String> timerSummaries(List<HistoryEvent> events) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
        .filter(e -> e.hasUserMetadata() && e.getUserMetadata().hasSummary())
        .map(
            e ->
                DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                    e.getUserMetadata().getSummary(), String.class, String.class))
        .toList();
  }

  static Instant time(HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }
}
