package dev.cutover.plan;

import java.time.Duration;
import java.time.Instant;

@Doc("The downtime window.")
public record Window(
    @Doc(
            "The downtime phase does not start before this instant (ISO-8601, e.g. 2026-12-01T22:00:00Z).")
        Instant notBefore,
    @Doc(
            "How long the downtime may last, from the first downtime step until traffic reaches the new host and the checks pass.")
        Duration downtimeBudget,
    @Doc("What to do when the budget is exceeded: ask (default) or abort.")
        BudgetAction onBudgetExceeded) {

  public BudgetAction onBudgetExceededOrDefault() {
    return onBudgetExceeded == null ? BudgetAction.ASK : onBudgetExceeded;
  }
}
