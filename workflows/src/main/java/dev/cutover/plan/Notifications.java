package dev.cutover.plan;

import java.time.Duration;
import java.util.List;

@Doc("Where notifications go (a webhook, e-mail, or both) and which workflow events send one.")
public record Notifications(
    @Doc(
            "Name of the secret (under secrets) holding the webhook URL: a Slack incoming webhook or a receiver that takes the same JSON.")
        String webhook,
    @Doc("E-mail over SMTP.") Email email,
    @Doc("The events that send a notification (default: all of them).") List<NotificationEvent> on,
    @Doc("While a gate waits, send a reminder this often (default: no reminders).")
        Duration remindEvery) {

  public Notifications {
    on = on == null || on.isEmpty() ? List.of(NotificationEvent.values()) : List.copyOf(on);
  }

  /** Whether the event sends a notification; reminders need remindEvery as well. */
  public boolean sends(NotificationEvent event) {
    return on.contains(event) && (event != NotificationEvent.GATE_REMINDER || remindEvery != null);
  }
}
