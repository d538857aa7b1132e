package dev.cutover.workflow;

import dev.cutover.steps.notify.NotifyActivities;
import dev.cutover.steps.notify.NotifyChannel;
import dev.cutover.steps.notify.NotifyDelivery;
import dev.cutover.steps.notify.NotifyEvent;
import dev.cutover.steps.notify.NotifyRequest;
import dev.cutover.steps.notify.NotifyResult;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the notify activity in workflow tests: records each request and delivers it, or
 * fails every attempt when told to (the channels' own behaviour has real-server tests in
 * activities).
 */
final class RecordingNotifyActivities implements NotifyActivities {
  final List<NotifyRequest> requests = new CopyOnWriteArrayList<>();
  volatile String failWith;

  @Override
  public NotifyResult send(NotifyRequest request) {
    requests.add(request);
    if (failWith != null) {
      throw ApplicationFailure.newFailure(failWith, "NotificationUndelivered");
    }
    return new NotifyResult(
        List.of(new NotifyDelivery(NotifyChannel.WEBHOOK, true, Instant.now(), null)));
  }

  List<NotifyEvent> events() {
    return requests.stream().map(NotifyRequest::event).toList();
  }

  List<NotifyRequest> of(NotifyEvent event) {
    return requests.stream().filter(r -> r.event() == event).toList();
  }
}
