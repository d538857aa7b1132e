package dev.cutover.preflight;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When preflight checks what: most at the start, and what an earlier step of the plan makes (a
 * directory, a database) just before the step that needs it.
 *
 * @param atStart the checks before the first step, with a note for each one left for later; {@code
 *     null} when nothing is left for later, and the start checks all of {@link Preflight#request}
 * @param beforeStep by step name, the checks just before that step runs; empty for most plans
 */
public record PreflightPlan(PreflightRequest atStart, Map<String, PreflightRequest> beforeStep) {
  public PreflightPlan {
    // In the plan's order: workflow code must not see a hash order that differs between workers.
    beforeStep =
        beforeStep == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(beforeStep));
  }
}
