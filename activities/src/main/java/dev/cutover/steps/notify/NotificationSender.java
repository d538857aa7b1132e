package dev.cutover.steps.notify;

import dev.cutover.secrets.ActivitySecrets;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a notification on each configured channel that has not delivered it yet, reporting the
 * channels delivered so far after each one (the activity's heartbeat), so that a retry sends only
 * what is missing. One channel failing does not stop the others. When any channel fails, the call
 * fails: non-retryable only when every failure is (retrying cannot help), otherwise retryable; the
 * message names each channel's outcome and no secret.
 */
final class NotificationSender {
  private static final Logger log = LoggerFactory.getLogger(NotificationSender.class);
  private final WebhookChannel webhook;
  private final MailChannel mail;
  private final Clock clock;

  NotificationSender(WebhookChannel webhook, MailChannel mail, Clock clock) {
    this.webhook = webhook;
    this.mail = mail;
    this.clock = clock;
  }

  /**
   * @param earlier what an earlier attempt reported (its delivered channels are not sent again)
   * @param progress told the deliveries so far after each delivered channel
   */
  NotifyResult send(NotifyRequest request, NotifyResult earlier, Consumer<NotifyResult> progress) {
    Map<NotifyChannel, NotifyDelivery> deliveries = new LinkedHashMap<>();
    if (earlier != null) {
      earlier.deliveries().stream()
          .filter(NotifyDelivery::delivered)
          .forEach(d -> deliveries.put(d.channel(), d));
    }
    List<ChannelFailure> failures = new ArrayList<>();
    for (NotifyChannel channel : channels(request)) {
      if (deliveries.containsKey(channel)) {
        log.info(
            "notification {}: {} already delivered by an earlier attempt", request.key(), channel);
        continue;
      }
      try {
        deliver(channel, request);
        deliveries.put(channel, new NotifyDelivery(channel, true, clock.instant(), null));
        log.info("notification {}: delivered on {}", request.key(), channel);
        progress.accept(delivered(deliveries));
      } catch (ChannelFailure e) {
        failures.add(e);
        deliveries.put(
            channel, new NotifyDelivery(channel, false, clock.instant(), e.getMessage()));
        log.warn(
            "notification {}: {} not delivered: {}",
            request.key(),
            channel,
            ActivitySecrets.mask(e.getMessage()));
      }
    }
    if (failures.isEmpty()) {
      return new NotifyResult(List.copyOf(deliveries.values()));
    }
    String message =
        "notification '"
            + request.title()
            + "' ("
            + request.event()
            + "): "
            + deliveries.values().stream()
                .map(NotificationSender::outcome)
                .collect(Collectors.joining("; "));
    boolean permanent = failures.stream().noneMatch(ChannelFailure::retryable);
    if (permanent) {
      throw ApplicationFailure.newNonRetryableFailure(
          message, failures.get(0).type(), new NotifyResult(List.copyOf(deliveries.values())));
    }
    throw ApplicationFailure.newFailure(
        message, NotifyErrors.UNDELIVERED, new NotifyResult(List.copyOf(deliveries.values())));
  }

  private void deliver(NotifyChannel channel, NotifyRequest request) {
    try {
      switch (channel) {
        case WEBHOOK -> webhook.deliver(request);
        case EMAIL -> mail.deliver(request);
        default -> throw new IllegalStateException(String.valueOf(channel));
      }
    } catch (ApplicationFailure e) {
      // The secret resolver's failures name the reference, never the value.
      throw ChannelFailure.permanent(
          channel.name().toLowerCase() + ": " + e.getOriginalMessage(), e.getType());
    }
  }

  private static List<NotifyChannel> channels(NotifyRequest request) {
    List<NotifyChannel> channels = new ArrayList<>();
    if (request.webhookUrlSecret() != null) {
      channels.add(NotifyChannel.WEBHOOK);
    }
    if (request.smtp() != null) {
      channels.add(NotifyChannel.EMAIL);
    }
    return channels;
  }

  private static NotifyResult delivered(Map<NotifyChannel, NotifyDelivery> deliveries) {
    return new NotifyResult(
        deliveries.values().stream().filter(NotifyDelivery::delivered).toList());
  }

  private static String outcome(NotifyDelivery delivery) {
    return delivery.delivered()
        ? delivery.channel().name().toLowerCase() + " delivered"
        : delivery.error();
  }
}
