package dev.cutover.steps.notify;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code notify} step, and the notifications the workflow sends on its own events (gate opened,
 * reminder, step blocked, downtime started and ended, migration done or aborted): a webhook
 * (Slack-compatible JSON) and e-mail (SMTP).
 *
 * <p>This is the contract only; its implementation lands with the report/notifications issue.
 * Implementations must be idempotent as far as the channels allow: a retry resends only the
 * channels not yet delivered (recorded in heartbeat details) and carries the request's {@code key}
 * so receivers can drop duplicates. They resolve the webhook URL and SMTP credentials inside the
 * worker only, never putting them in results, failure messages or logs, and raise {@link
 * io.temporal.failure.ApplicationFailure} with the types in {@link dev.cutover.steps.CutoverErrors}
 * for non-retryable errors (an unresolvable secret reference, a malformed address, authentication
 * refused by the SMTP server). An undeliverable notification never blocks the migration: the
 * workflow runs this activity so that its failure is reported, not waited on.
 */
@ActivityInterface
public interface NotifyActivities {
  /** Sends the message on every configured channel and reports each delivery. */
  @ActivityMethod(name = "NotifySend")
  NotifyResult send(NotifyRequest request);
}
