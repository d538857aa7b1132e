package dev.cutover.steps.notify;

import java.util.Map;

/**
 * A notification. {@code webhookUrlSecret} is a secret reference such as {@code env:SLACK_WEBHOOK}
 * (a webhook URL is a credential), and the SMTP settings carry references too; the worker resolves
 * them, so no value ever enters the history.
 *
 * @param step the name of the step sending it, or {@code null} for the workflow's own events
 * @param migration the migration's workflow id
 * @param key a key unique to this notification (for example the workflow id, event and sequence
 *     number), sent along so receivers can drop a duplicate after a retry
 * @param event what it is about
 * @param title a one-line summary
 * @param message the text
 * @param fields extra facts shown with it (gate, step, command to send)
 * @param webhookUrlSecret reference to the webhook URL; {@code null} for no webhook
 * @param smtp how to send e-mail; {@code null} for no e-mail
 */
public record NotifyRequest(
    String step,
    String migration,
    String key,
    NotifyEvent event,
    String title,
    String message,
    Map<String, String> fields,
    String webhookUrlSecret,
    SmtpSettings smtp) {

  public NotifyRequest {
    fields =
        fields == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
  }
}
