package dev.cutover.workflow;

import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;

/**
 * The size the status query's answer and the continue-as-new checkpoint must stay under, and how
 * they shrink when a run's texts do not fit: deterministically, by levels, step texts first.
 */
final class StateBudget {
  /**
   * Far below Temporal's limits (2 MB for a payload, 4 MB for a gRPC message, which the plan in the
   * same input shares), and small enough for a status refresh every second.
   */
  static final int MAX_BYTES = 256 * 1024;

  /** A free text of the record outside the steps (the next action, the abort reason). */
  static final int MAX_TEXT_CHARS = 4000;

  /**
   * The checkpoint only cuts texts: a step it left out would start over as pending in the next run.
   */
  static final int LAST_LEVEL = 3;

  /** Status may also leave out steps that need no attention (pending, succeeded). */
  static final int LAST_STATUS_LEVEL = 4;

  private StateBudget() {}

  /** Serialized size, as Temporal's default converter writes it into a payload. */
  static int size(Object value) {
    return DefaultDataConverter.STANDARD_INSTANCE
        .toPayload(value)
        .map(p -> p.getData().size())
        .orElse(0);
  }

  static String describe(int level) {
    return switch (level) {
      case 0 -> "nothing cut";
      case 1 -> "step output cut to its last 1000 characters, errors to 1000";
      case 2 ->
          "step output cut to its last 200 characters, errors and descriptions (of steps and gates) to 200";
      case 3 ->
          "step output left out, errors cut to 100 characters, descriptions left out; only the last 10 presync rounds and decisions";
      default ->
          "as level 3, and only steps that are running, blocked, failed or undone are listed";
    };
  }

  static StepStatus cut(StepStatus s, int level) {
    return switch (level) {
      case 0 -> s;
      case 1 -> cut(s, 1000, 1000, Integer.MAX_VALUE);
      case 2 -> cut(s, 200, 200, 200);
      default -> cut(s, 0, 100, 0);
    };
  }

  /** A step with its output tail (its end: the last lines say most), error and description cut. */
  static StepStatus cut(StepStatus s, int outputChars, int errorChars, int descriptionChars) {
    String tail = s.outputTail();
    if (tail != null && tail.length() > outputChars) {
      tail = outputChars == 0 ? null : "…" + tail.substring(tail.length() - outputChars);
    }
    String error = SignalLimits.clip(s.error(), errorChars);
    String description =
        descriptionChars == 0 ? null : SignalLimits.clip(s.description(), descriptionChars);
    if (tail == s.outputTail() && error == s.error() && description == s.description()) {
      return s;
    }
    return new StepStatus(
        s.phase(),
        s.name(),
        s.kind(),
        s.host(),
        description,
        s.state(),
        s.attempts(),
        s.round(),
        s.startedAt(),
        s.endedAt(),
        s.exitCode(),
        tail,
        error,
        s.errorType(),
        s.group(),
        s.branch());
  }

  /** A gate with its description (the plan's words, which the plan keeps) cut as the steps' are. */
  static GateStatus cut(GateStatus g, int level) {
    if (level < 2 || g.description() == null) {
      return g;
    }
    String description = level >= 3 ? null : SignalLimits.clip(g.description(), 200);
    return g.withDescription(description);
  }

  static List<GateStatus> cutGates(java.util.Collection<GateStatus> gates, int level) {
    return gates.stream().map(g -> cut(g, level)).toList();
  }

  /** Whether status lists the step at this level: at the last, only those that need a look. */
  static boolean shows(StepStatus s, int level, String currentStep, String blockedStep) {
    return level < LAST_STATUS_LEVEL
        || s.name().equals(currentStep)
        || s.name().equals(blockedStep)
        || (s.state() != StepState.PENDING && s.state() != StepState.SUCCEEDED);
  }

  static <T> List<T> last(List<T> list, int level) {
    int keep = level >= 3 ? 10 : Integer.MAX_VALUE;
    return List.copyOf(list.size() <= keep ? list : list.subList(list.size() - keep, list.size()));
  }

  static int notesShown(int level) {
    return level >= 3 ? 10 : Notes.MAX_ENTRIES;
  }
}
