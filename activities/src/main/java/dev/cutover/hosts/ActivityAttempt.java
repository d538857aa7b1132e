package dev.cutover.hosts;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which attempt of which activity a script runs for. Scripts carry it to the host so that a retry
 * can stop what an earlier attempt of the same activity left running there when its worker died
 * ({@link LeaseScript}).
 *
 * @param key names the activity on the host: a hex hash of workflow id, run id and activity id, the
 *     same for every attempt and different for every other activity. A hash, so no id lands in a
 *     file name and every key is a safe shell word.
 * @param attempt Temporal's attempt number, 1 for the first
 */
public record ActivityAttempt(String key, int attempt) {
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{32}");

  public ActivityAttempt {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not an activity key: " + key);
    }
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt " + attempt + " is negative");
    }
  }

  /** The attempt of the activity {@code activityId} in the given workflow run. */
  public static ActivityAttempt of(
      String workflowId, String runId, String activityId, int attempt) {
    String id =
        Objects.toString(workflowId, "")
            + '\0'
            + Objects.toString(runId, "")
            + '\0'
            + Objects.toString(activityId, "");
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      // 128 bits: no two activities meet by chance, and file names stay short.
      return new ActivityAttempt(HexFormat.of().formatHex(hash, 0, 16), attempt);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The attempt of the activity running on this thread, or {@code null} outside an activity (CLI
   * checks, tests without Temporal): scripts there record nothing and stop nothing.
   */
  public static ActivityAttempt current() {
    ActivityInfo info;
    try {
      info = Activity.getExecutionContext().getInfo();
    } catch (IllegalStateException notInAnActivity) {
      return null;
    }
    return of(
        info.getWorkflowId(), info.getWorkflowRunId(), info.getActivityId(), info.getAttempt());
  }
}
