package dev.cutover.workflow;

import java.time.Instant;

/** One presync round, so operators can see how long rounds take as the window nears. */
public record PresyncRound(int round, Instant startedAt, Instant endedAt) {}
