package dev.cutover.steps.notify;

import java.time.Instant;

/**
 * One channel's delivery.
 *
 * @param channel the channel
 * @param delivered whether the message was accepted
 * @param at when it was accepted, or when the last attempt failed
 * @param error why it was not delivered (no secret in it); {@code null} when delivered
 */
public record NotifyDelivery(NotifyChannel channel, boolean delivered, Instant at, String error) {}
