package dev.cutover.steps.notify;

import java.util.List;
import java.util.Map;

/** Requests the notification tests send. */
final class NotifyTestRequests {
  private NotifyTestRequests() {}

  static NotifyRequest gateOpened(String webhookSecret, SmtpSettings smtp) {
    return new NotifyRequest(
        null,
        "mig-shop",
        "mig-shop/gate/switch/1",
        NotifyEvent.GATE_OPENED,
        "Gate 'switch' waits for approval",
        "The downtime window is ready. <Approve> when the team is on the call & ready.",
        Map.of("gate", "switch", "approve with", "cutover approve mig-shop switch"),
        webhookSecret,
        smtp);
  }

  static SmtpSettings smtp(int port, String userSecret, String passwordSecret, String... to) {
    return new SmtpSettings(
        "127.0.0.1", port, false, userSecret, passwordSecret, "cutover@example.org", List.of(to));
  }
}
