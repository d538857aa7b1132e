package dev.cutover.workflow;

import dev.cutover.plan.load.DurationText;
import dev.cutover.steps.StepWaits;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;

/** Durable timers with a summary the UI shows, cut short by an abort. */
final class DurableWait implements StepWaits {
  private final MigrationRecord record;
  private final AbortState abort;

  DurableWait(MigrationRecord record, AbortState abort) {
    this.record = record;
    this.abort = abort;
  }

  /** Sleeps for {@code duration}; throws {@link Aborted} if an abort arrives first. */
  @Override
  public void sleep(Duration duration, String reason) {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    Instant until = TemporalLimits.plus(now(), duration, reason);
    MigrationState before = record.sleeping(until);
    if (record.waitingFor().isEmpty()) { // a blocked branch's decision says more than a timer
      Workflow.setCurrentDetails(OperatorHints.waitingDetails(record.phase(), reason, until));
    }
    Promise<Void>[] timer = new Promise[1];
    String summary = reason + " (" + DurationText.format(duration) + ")";
    CancellationScope scope =
        Workflow.newCancellationScope(
            () ->
                timer[0] =
                    Workflow.newTimer(
                        duration, TimerOptions.newBuilder().setSummary(summary).build()));
    scope.run();
    Workflow.await(() -> timer[0].isCompleted() || abort.requested());
    record.awake(before);
    if (!timer[0].isCompleted()) {
      scope.cancel();
      throw new Aborted();
    }
  }

  @Override
  public boolean aborting() {
    return abort.requested();
  }

  @Override
  public void sleepUntil(Instant until, String reason) {
    sleep(Duration.between(now(), until), reason);
  }

  static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
