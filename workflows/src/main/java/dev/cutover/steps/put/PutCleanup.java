package dev.cutover.steps.put;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.CutoverErrors;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The workflow's last act of a completed migration with put steps: their backups ({@code .bak}) and
 * absent markers ({@code .absent}) are removed from the hosts, since a directory read whole (an
 * nginx conf.d, a cron.d) would load them, and with the migration done no undo needs them. A put
 * step with {@code keepBackup: true} keeps its own. An aborted migration's undo has put the files
 * back and removed those already.
 *
 * <p>Behind the version marker {@value #CHANGE}, recorded only for plans with such put steps, so
 * histories without put steps replay untouched. The cleanup does not change the outcome: when it
 * fails, the migration still completes, and a note says what is left on which host.
 */
public final class PutCleanup {
  /** The version marker's change id. */
  public static final String CHANGE = "put-cleanup";

  /** One rm per file and host; the hosts' connections are usually open still. */
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** The activity beats after each file. */
  static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A host that blinks gets a second and third chance; one that is gone (retired) costs under a
   * minute.
   */
  static final int ATTEMPTS = 3;

  private PutCleanup() {}

  /**
   * Removes the put steps' backups and markers; {@code note} gets a note (its kind, then the
   * detail) when some are left.
   *
   * @param plan the plan whose put steps ran
   */
  public static void afterCompletion(Plan plan, BiConsumer<String, String> note) {
    List<PutCleanupFile> files = files(plan);
    if (files.isEmpty() || Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) != 1) {
      return;
    }
    PutActivities activities =
        Workflow.newActivityStub(
            PutActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(TIMEOUT)
                .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setMaximumAttempts(ATTEMPTS)
                        .setDoNotRetry(CutoverErrors.NON_RETRYABLE.toArray(new String[0]))
                        .build())
                .setSummary("finish: remove the backups of " + files.size() + " put step file(s)")
                .build());
    PutCleanupRequest request = new PutCleanupRequest(runKey(plan), files);
    try {
      // Detached: every step is done, so a cancellation now must not turn into a rollback of them.
      Workflow.newDetachedCancellationScope(() -> activities.cleanup(request)).run();
    } catch (ActivityFailure failure) {
      String why =
          failure.getCause() instanceof ApplicationFailure app
              ? app.getOriginalMessage()
              : failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage();
      Workflow.getLogger(PutCleanup.class).warn("put backups left: {}", why);
      note.accept(
          "the backups and markers of put steps were not all removed; remove them by hand",
          clip(why));
    }
  }

  /** The files of the plan's put steps that do not keep their backup, once each. */
  static List<PutCleanupFile> files(Plan plan) {
    Map<String, PutCleanupFile> files = new LinkedHashMap<>();
    for (PhaseName phase : plan.phases().present()) {
      for (Step s : plan.phases().stepsWithNested(phase)) {
        if (s.spec() instanceof PutSpec put && !put.keepBackupOrDefault() && put.path() != null) {
          files.putIfAbsent(
              s.name() + "\n" + put.host() + "\n" + put.path(),
              new PutCleanupFile(
                  s.name(), put.host(), plan.host(put.host()), put.path(), put.sudo()));
        }
      }
    }
    return new ArrayList<>(files.values());
  }

  /** What the put steps named their backups after: as StepExecutor gives steps the migration. */
  private static String runKey(Plan plan) {
    String id = Workflow.getInfo().getFirstExecutionRunId().replace("-", "");
    return plan.migration() + "-" + id.substring(Math.max(0, id.length() - 8));
  }

  /** A failure's message lists every file left: bounded, as notes are. */
  private static String clip(String text) {
    int max = 1_000;
    return text == null ? "" : text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
