package dev.cutover.plan;

import java.time.Duration;

@Doc("How often and how fast a failing step is retried before onFailure applies.")
public record Retry(
    @Doc("Attempts in all, the first included (default 3).") Integer maxAttempts,
    @Doc("Wait before the first retry (default 5s).") Duration initialInterval,
    @Doc("Multiplier of the wait after each retry (default 2.0).") Double backoff,
    @Doc("Longest wait between retries (default 5m).") Duration maxInterval) {}
