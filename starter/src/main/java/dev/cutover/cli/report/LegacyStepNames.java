package dev.cutover.cli.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the report places activities and timers of histories recorded before the workflow recorded
 * facts (v1 to v5): from the wording of summaries, which those versions kept stable. Histories with
 * facts never come here: their activities carry a {@code cutover-step} header and their wait steps
 * a marker.
 */
final class LegacyStepNames {
  /** {@code phase / step: kind on host (timeout 10m)}, as StepExecutor wrote it. */
  private static final Pattern ACTIVITY_SUMMARY =
      Pattern.compile("^(?:([a-z-]+) / )?(.+?): ([a-z-]+)\\b.*$", Pattern.DOTALL);

  private static final Pattern ROUND_TIMER =
      Pattern.compile("^(presync round|monitor check) (\\d+)\\b.*");
  private static final Pattern TIMER_DURATION = Pattern.compile("^(.*) \\(([0-9a-z]+)\\)$");
  private static final String WAIT_STEP = "wait step ";
  private static final String BUDGET_TIMER = "downtime budget";

  private LegacyStepNames() {}

  /** The phase and step an activity summary names; {@code null} when it names none. */
  static String[] phaseAndStep(String summary) {
    if (summary == null) {
      return null;
    }
    Matcher m = ACTIVITY_SUMMARY.matcher(summary);
    return m.matches() ? new String[] {m.group(1), m.group(2)} : null;
  }

  /** The timer's label without the duration its summary ends with. */
  private static String label(String what) {
    Matcher duration = TIMER_DURATION.matcher(what);
    return duration.matches() ? duration.group(1) : what;
  }

  /**
   * Applies a round timer's number ({@code presync round 2}, {@code monitor check 3}) to where the
   * reading is.
   */
  static void roundTimer(String what, Timeline t) {
    Matcher round = ROUND_TIMER.matcher(label(what));
    if (round.matches()) {
      int n = Integer.parseInt(round.group(2));
      if (round.group(1).equals("presync round")) {
        t.presyncRound = n;
      } else {
        t.monitorCheck = n;
      }
    }
  }

  /** The wait step a timer is, or {@code null}. */
  static String waitStep(String what) {
    String label = label(what);
    return label.startsWith(WAIT_STEP) ? label.substring(WAIT_STEP.length()) : null;
  }

  static boolean isBudgetTimer(String what) {
    return what.startsWith(BUDGET_TIMER);
  }
}
