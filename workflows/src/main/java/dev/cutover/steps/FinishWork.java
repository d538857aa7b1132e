package dev.cutover.steps;

import dev.cutover.plan.Step;
import java.util.function.Function;

/**
 * Work a kind leaves for the end of the finish phase (dns-ttl: put back the TTLs it lowered), run
 * as a step of its own so status and the history show it like any other.
 *
 * @param step the step it runs as (its name and place are shown)
 * @param description what it does, for status before it runs
 * @param work the activities, as a handler's run
 */
public record FinishWork(Step step, String description, Function<StepCall, StepDone> work) {}
