package dev.cutover.attempts;

import java.util.List;

/**
 * Heartbeat details that carry the errors of earlier attempts beside the activity's own details.
 * Temporal hands the last heartbeat details to the next attempt, and a failing attempt's last
 * details travel with its failure; the activity itself sees only {@code details}.
 *
 * @param details what the activity heartbeat, as it heartbeat it
 * @param earlierAttemptErrors oldest first; at most {@link AttemptErrors#MAX_KEPT}
 */
public record AttemptCarry(Object details, List<AttemptError> earlierAttemptErrors) {}
