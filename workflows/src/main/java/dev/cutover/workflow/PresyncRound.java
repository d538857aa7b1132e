package dev.cutover.workflow;

import java.time.Instant;

/**
 * One presync round, so operators can see how long rounds take as the window nears, and how long
 * the final sync will take: it copies what changed since the last round.
 *
 * @param round the round's number, from 1
 * @param startedAt when it started
 * @param endedAt when it ended; {@code null} while it runs
 * @param changedFiles items rsync changed in this round, over all rsync steps; {@code null} without
 *     rsync steps
 * @param bytesSent bytes of file content sent in this round
 * @param syncMillis how long the rsync steps of this round took together
 */
public record PresyncRound(
    int round,
    Instant startedAt,
    Instant endedAt,
    Long changedFiles,
    Long bytesSent,
    Long syncMillis) {
  public PresyncRound(int round, Instant startedAt, Instant endedAt) {
    this(round, startedAt, endedAt, null, null, null);
  }
}
