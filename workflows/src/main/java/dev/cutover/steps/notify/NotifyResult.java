package dev.cutover.steps.notify;

import java.util.List;

/**
 * Every channel's delivery.
 *
 * @param deliveries one per configured channel
 */
public record NotifyResult(List<NotifyDelivery> deliveries) {

  public NotifyResult {
    deliveries = deliveries == null ? List.of() : List.copyOf(deliveries);
  }
}
