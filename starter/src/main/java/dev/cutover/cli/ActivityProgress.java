package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.cli.report.ReportText;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The progress a running activity reports in its heartbeat details, as one line: rsync's percent, a
 * dump's bytes and tables, the replication lag, the clients still connected, a command's last
 * output line. Read by field names, since the CLI depends on the contracts only and the details'
 * records live beside each activity.
 */
final class ActivityProgress {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ActivityProgress() {}

  static String describe(PendingActivityInfo activity, Instant now) {
    List<String> parts = new ArrayList<>();
    parts.add(activity.getActivityType().getName());
    String state =
        activity
            .getState()
            .name()
            .replace("PENDING_ACTIVITY_STATE_", "")
            .toLowerCase(Locale.ROOT)
            .replace('_', ' ');
    parts.add(state + (activity.getAttempt() > 1 ? ", attempt " + activity.getAttempt() : ""));
    String progress = progress(details(activity.getHeartbeatDetails()));
    if (progress != null) {
      parts.add(progress);
    }
    if (activity.hasLastHeartbeatTime()) {
      Instant beat =
          Instant.ofEpochSecond(
              activity.getLastHeartbeatTime().getSeconds(),
              activity.getLastHeartbeatTime().getNanos());
      parts.add(
          "heartbeat "
              + ReportText.duration(
                  Duration.between(beat, now).truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
              + " ago");
    }
    if (activity.hasLastFailure() && activity.getAttempt() > 1) {
      parts.add("last attempt failed: " + activity.getLastFailure().getMessage());
    }
    return String.join(" · ", parts);
  }

  static JsonNode details(Payloads payloads) {
    if (payloads == null || payloads.getPayloadsCount() == 0) {
      return null;
    }
    var payload = payloads.getPayloads(payloads.getPayloadsCount() - 1);
    var encoding = payload.getMetadataMap().get("encoding");
    if (encoding == null || !encoding.toString(StandardCharsets.UTF_8).equals("json/plain")) {
      return null;
    }
    try {
      JsonNode node = MAPPER.readTree(payload.getData().toStringUtf8());
      // After a failed attempt the worker carries its error beside the activity's own details.
      return node != null && node.path("earlierAttemptErrors").isArray() && node.has("details")
          ? node.get("details")
          : node;
    } catch (Exception e) {
      return null;
    }
  }

  /** The heartbeat details in words; {@code null} when there are none or their shape is unknown. */
  static String progress(JsonNode d) {
    if (d == null || !d.isObject()) {
      return null;
    }
    if (d.has("percent") && d.has("bytes")) {
      return String.format(
          Locale.ROOT,
          "rsync %d%%, %,d files, %s sent",
          d.path("percent").asInt(),
          d.path("files").asLong(),
          ReportText.bytes(d.path("bytes").asLong()));
    }
    if (d.has("tablesDone")) {
      return String.format(
          Locale.ROOT,
          "copied %s, %d tables restored%s",
          ReportText.bytes(d.path("bytes").asLong()),
          d.path("tablesDone").asInt(),
          d.path("current").isTextual() ? ", now " + d.path("current").asText() : "");
    }
    if (d.has("lagBytes")) {
      int initialising = d.path("tablesInitialising").asInt();
      return "replication lag "
          + ReportText.bytes(d.path("lagBytes").asLong())
          + (initialising > 0 ? ", " + initialising + " table(s) still in their initial copy" : "");
    }
    if (d.has("connected")) {
      List<String> clients = new ArrayList<>();
      d.path("clients").forEach(c -> clients.add(c.asText()));
      return d.path("connected").asInt()
          + " client(s) still connected"
          + (clients.isEmpty() ? "" : ": " + String.join(", ", clients));
    }
    if (d.has("pending") && d.has("answers")) {
      List<String> pending = new ArrayList<>();
      d.path("pending").forEach(p -> pending.add(p.asText()));
      return pending.isEmpty()
          ? "every server answers the new value"
          : "waiting for " + String.join(", ", pending);
    }
    if (d.has("elapsedMillis")) {
      String line = d.path("lastLine").isTextual() ? d.path("lastLine").asText() : null;
      return "running "
          + ReportText.duration(Duration.ofMillis(d.path("elapsedMillis").asLong()))
          + (line == null || line.isBlank() ? "" : ", last line: " + clip(line));
    }
    return null;
  }

  private static String clip(String line) {
    return line.length() <= 120 ? line : line.substring(0, 119) + "…";
  }
}
