package dev.cutover.steps.cron;

/**
 * The undo of a move: the old host gets its crontab back and the new host what it had before.
 *
 * @param move the request of the move being undone
 * @param moved the move's result: the saved copies it names are put back
 */
public record CronRestoreRequest(CronMoveRequest move, CronMoveResult moved) {}
