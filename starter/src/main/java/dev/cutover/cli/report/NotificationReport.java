package dev.cutover.cli.report;

import java.time.Instant;

/**
 * A notification the workflow sent on its own event (a gate opened, a reminder, the downtime
 * started...). These are not steps: the workflow starts them beside its work and never waits on
 * them, so they neither belong to a phase's steps nor move the downtime clock.
 *
 * @param event the event, like gate-opened or downtime-started
 * @param title the notification's one-line title, as the workflow wrote it
 * @param phase the phase the workflow was in when it sent it
 * @param sentAt when the workflow sent it
 * @param endedAt when the last attempt ended; {@code null} while it is being sent
 * @param outcome delivered, not delivered, or sending
 * @param attempts the attempts Temporal made
 * @param detail the channels that took it, or why it was not delivered
 */
public record NotificationReport(
    String event,
    String title,
    String phase,
    Instant sentAt,
    Instant endedAt,
    String outcome,
    int attempts,
    String detail) {}
