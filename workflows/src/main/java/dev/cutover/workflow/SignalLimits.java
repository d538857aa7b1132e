package dev.cutover.workflow;

import java.util.Locale;

/**
 * How much one signal or update may carry. Whatever it carries lands in the run's record, which
 * status returns and the checkpoint carries across continue-as-new, so every field has a limit: an
 * update is refused with the reason, a signal over it is ignored and noted in short.
 */
public final class SignalLimits {
  /** Gate and step names: the plan's names are words; anything far longer cannot name one. */
  public static final int MAX_NAME_CHARS = 200;

  /** A comment says why in a sentence or a short paragraph; status and the report keep it whole. */
  public static final int MAX_COMMENT_CHARS = 1000;

  /** Who: a person's name or the CLI's identity (pid@host). */
  public static final int MAX_BY_CHARS = 200;

  /** A run id is a UUID (36 characters); room for other shapes, not for a payload. */
  public static final int MAX_RUN_ID_CHARS = 100;

  /** A nonce: the CLI sends 32 hex digits. */
  public static final int MAX_NONCE_CHARS = 100;

  /** An ISO-8601 instant. */
  public static final int MAX_SIGNED_AT_CHARS = 40;

  /** An armored SSH signature: an RSA 4096 one is about 1,000 characters. */
  public static final int MAX_SIGNATURE_CHARS = 8000;

  /** An abort's reason, like a comment. */
  public static final int MAX_REASON_CHARS = 1000;

  /** How much of an oversized or unknown value a note or a refusal quotes. */
  public static final int QUOTE_CHARS = 60;

  private SignalLimits() {}

  /** Why {@code value} is too long for {@code field}, or {@code null} when it fits. */
  static String tooLong(String field, String value, int max) {
    if (value == null || value.length() <= max) {
      return null;
    }
    return String.format(
        Locale.ROOT, "field '%s' has %,d characters; the limit is %,d", field, value.length(), max);
  }

  /** The first problem among fields given as (name, value, limit) triples, or {@code null}. */
  static String firstTooLong(Object... fieldValueLimit) {
    for (int i = 0; i + 2 < fieldValueLimit.length; i += 3) {
      String problem =
          tooLong(
              (String) fieldValueLimit[i],
              (String) fieldValueLimit[i + 1],
              (Integer) fieldValueLimit[i + 2]);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /** A value as a note may quote it: whole when short, else its start and its size. */
  public static String quote(String value) {
    if (value == null) {
      return "null";
    }
    if (value.length() <= QUOTE_CHARS) {
      return "'" + value + "'";
    }
    return String.format(
        Locale.ROOT, "'%s…' (%,d characters)", value.substring(0, QUOTE_CHARS), value.length());
  }

  /**
   * A gate or step name as status and the report show it: a name over its limit names nothing, so
   * its start and its size.
   */
  public static String shownName(String value) {
    return value == null || value.length() <= MAX_NAME_CHARS ? value : clip(value, QUOTE_CHARS);
  }

  /** Text cut to {@code max} characters, saying how long it was. */
  static String clip(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + String.format(Locale.ROOT, "… (%,d characters)", text.length());
  }
}
