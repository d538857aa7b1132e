package dev.cutover.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** An operator's answer to a blocked step. */
public enum DecisionAction {
  RETRY,
  SKIP,
  ABORT;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Accepts any case, since people type it into the Temporal UI by hand. */
  @JsonCreator
  public static DecisionAction parse(String text) {
    if (text == null) {
      return null;
    }
    for (DecisionAction a : values()) {
      if (a.name().equalsIgnoreCase(text.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown action '" + text + "'; expected retry, skip or abort");
  }
}
