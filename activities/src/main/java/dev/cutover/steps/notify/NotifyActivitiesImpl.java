package dev.cutover.steps.notify;

import dev.cutover.secrets.SecretResolver;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Clock;
import java.time.Duration;

/**
 * Notifications as a Temporal activity: the channels an earlier attempt delivered come from its
 * heartbeat details, and each delivery is heartbeated at once, so a retry (Temporal's, or after a
 * worker crash) resends only the channels still missing.
 */
public class NotifyActivitiesImpl implements NotifyActivities {
  // Short: a notification that cannot get through in this long is retried by Temporal, and the
  // workflow never waits on it anyway.
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(20);
  private final NotificationSender sender;

  public NotifyActivitiesImpl(SecretResolver secrets) {
    this(secrets, CONNECT_TIMEOUT, IO_TIMEOUT);
  }

  /** With other timeouts (tests of a receiver that does not answer). */
  NotifyActivitiesImpl(SecretResolver secrets, Duration connectTimeout, Duration ioTimeout) {
    this.sender =
        new NotificationSender(
            new WebhookChannel(secrets, connectTimeout, ioTimeout),
            new MailChannel(secrets, connectTimeout, ioTimeout),
            Clock.systemUTC());
  }

  @Override
  public NotifyResult send(NotifyRequest request) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    NotifyResult earlier = context.getHeartbeatDetails(NotifyResult.class).orElse(null);
    return sender.send(request, earlier, context::heartbeat);
  }
}
