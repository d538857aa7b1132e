package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A notification the workflow sent on its own (a gate opened, the downtime started...). */
final class NotificationTimeline {
  final String event;
  final String title;
  final String phase;
  final Instant sentAt;
  Instant endedAt;
  String outcome = "sending";
  int attempts;
  String detail;

  NotificationTimeline(String event, String title, String phase, Instant sentAt) {
    this.event = event;
    this.title = title;
    this.phase = phase;
    this.sentAt = sentAt;
  }

  /**
   * The result lists each channel's delivery: the channels that took it, and why the others did
   * not.
   */
  void delivered(Instant at, JsonNode result) {
    endedAt = at;
    List<String> took = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (JsonNode d : result.path("deliveries")) {
      String channel = d.path("channel").asText("channel").toLowerCase(Locale.ROOT);
      if (d.path("delivered").asBoolean(false)) {
        took.add(channel);
      } else {
        String error = PayloadJson.text(d, "error");
        refused.add(channel + (error == null ? "" : " (" + error + ")"));
      }
    }
    outcome =
        refused.isEmpty() ? "delivered" : took.isEmpty() ? "not delivered" : "partly delivered";
    String by = took.isEmpty() ? "" : "by " + String.join(" and ", took);
    String not = refused.isEmpty() ? "" : "not by " + String.join(" and ", refused);
    detail =
        by.isEmpty() && not.isEmpty()
            ? null
            : by.isEmpty() ? not : not.isEmpty() ? by : by + "; " + not;
  }

  NotificationReport report(boolean runEnded) {
    // A notification still in flight when the run closed was cut off with it.
    String shown = outcome.equals("sending") && runEnded ? "not delivered" : outcome;
    String why =
        outcome.equals("sending") && runEnded ? "the run ended while it was being sent" : detail;
    return new NotificationReport(event, title, phase, sentAt, endedAt, shown, attempts, why);
  }
}
