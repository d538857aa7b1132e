package dev.cutover.cli.report;

import java.time.Instant;

/**
 * One run of the workflow id.
 *
 * @param runId its run id
 * @param startedAt when it started
 * @param endedAt when it ended; {@code null} while it runs
 * @param end how it ended: completed, continued as new, failed, terminated, ...; {@code running}
 */
public record ReportRun(String runId, Instant startedAt, Instant endedAt, String end) {}
