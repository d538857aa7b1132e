package dev.cutover.attempts;

import java.util.List;

/**
 * The last detail of a failure an attempt raises: the errors of the activity's attempts before it,
 * which Temporal's history would otherwise not keep (it keeps one attempt's failure on the started
 * event and the last one's on the failed event). The report reads it by its field's name.
 *
 * @param earlierAttemptErrors oldest first; at most {@link AttemptErrors#MAX_KEPT}
 */
public record EarlierAttempts(List<AttemptError> earlierAttemptErrors) {
  public EarlierAttempts {
    earlierAttemptErrors =
        earlierAttemptErrors == null ? List.of() : List.copyOf(earlierAttemptErrors);
  }
}
