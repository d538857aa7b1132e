package dev.cutover.cli.report;

import java.time.Instant;

/**
 * One presync round and what its rsync steps changed ({@code null} counts without rsync steps).
 *
 * @param changedFiles items rsync changed, over all rsync steps of the round
 * @param filesTransferred files whose content was sent
 * @param bytesSent bytes of file content sent
 * @param syncMillis how long the rsync transfers took together
 */
public record PresyncRoundReport(
    int round,
    Instant startedAt,
    Instant endedAt,
    Long changedFiles,
    Long filesTransferred,
    Long bytesSent,
    Long syncMillis) {}
