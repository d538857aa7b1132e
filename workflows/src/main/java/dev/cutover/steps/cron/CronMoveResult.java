package dev.cutover.steps.cron;

/**
 * Both crontabs before and after a move (or its undo).
 *
 * @param oldBefore the old host's crontab before; its saved copy is what was installed on the new
 *     host
 * @param newBefore the new host's crontab before; its saved copy is what the undo puts back there
 * @param oldAfter the old host's crontab now
 * @param newAfter the new host's crontab now
 * @param changed whether anything was written (false: it was already so)
 */
public record CronMoveResult(
    CronState oldBefore,
    CronState newBefore,
    CronState oldAfter,
    CronState newAfter,
    boolean changed) {}
