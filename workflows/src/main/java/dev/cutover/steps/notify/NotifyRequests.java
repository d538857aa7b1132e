package dev.cutover.steps.notify;

import dev.cutover.plan.Email;
import dev.cutover.plan.Notifications;
import dev.cutover.plan.Plan;
import java.util.Map;

/**
 * Builds notification requests from the plan's notifications, with secret names turned into
 * references.
 */
public final class NotifyRequests {
  private NotifyRequests() {}

  /**
   * @param step the notify step's name, or {@code null} for the workflow's own events
   * @param migration the workflow id
   * @param key unique to this notification and the same on every retry of it
   */
  public static NotifyRequest of(
      Plan plan,
      String step,
      String migration,
      String key,
      NotifyEvent event,
      String title,
      String message,
      Map<String, String> fields) {
    Notifications n = plan.notifications();
    String webhook = n.webhook() == null ? null : plan.secrets().get(n.webhook());
    Email email = n.email();
    SmtpSettings smtp =
        email == null
            ? null
            : new SmtpSettings(
                email.host(),
                email.port(),
                email.startTlsOrDefault(),
                reference(plan, email.userSecret()),
                reference(plan, email.passwordSecret()),
                email.from(),
                email.to());
    return new NotifyRequest(step, migration, key, event, title, message, fields, webhook, smtp);
  }

  private static String reference(Plan plan, String secretName) {
    return secretName == null ? null : plan.secrets().get(secretName);
  }
}
