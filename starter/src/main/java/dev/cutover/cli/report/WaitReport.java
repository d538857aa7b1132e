package dev.cutover.cli.report;

import java.time.Instant;

/**
 * A durable timer, with the summary the workflow gave it.
 *
 * @param what what was waited for, like {@code wait out the old DNS TTL}
 * @param phase the phase it was set in
 * @param endedAt when it fired or was canceled; {@code null} while it runs
 * @param outcome fired, canceled, ended (with the run, a bounded wait whose condition came true),
 *     or waiting
 */
public record WaitReport(
    String what, String phase, Instant startedAt, Instant endedAt, String outcome) {}
