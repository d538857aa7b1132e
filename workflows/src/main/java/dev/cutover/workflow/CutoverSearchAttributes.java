package dev.cutover.workflow;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * Search attributes the workflow keeps current, so "all migrations waiting for me" is one UI
 * filter.
 */
public final class CutoverSearchAttributes {
  /** The phase the migration is in, or completed / aborted / held at the end. */
  public static final SearchAttributeKey<String> PHASE =
      SearchAttributeKey.forKeyword("CutoverPhase");

  /** What the run waits for from a person: {@code gate:NAME}, {@code decision:STEP}, or empty. */
  public static final SearchAttributeKey<String> WAITING_FOR =
      SearchAttributeKey.forKeyword("CutoverWaitingFor");

  /** The plan's migration name. */
  public static final SearchAttributeKey<String> MIGRATION =
      SearchAttributeKey.forKeyword("CutoverMigration");

  public static final List<SearchAttributeKey<String>> ALL = List.of(PHASE, WAITING_FOR, MIGRATION);

  private CutoverSearchAttributes() {}
}
