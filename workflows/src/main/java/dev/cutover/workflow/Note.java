package dev.cutover.workflow;

import java.time.Instant;

/**
 * One entry of the run's notes: notes of the same kind collapse into one with a count, so a check
 * failing every minute for days is one line, not thousands.
 *
 * @param kind what happened, like "step web failed and the plan says continue"
 * @param detail the last occurrence's detail (an error, the reason a signal was ignored); may be
 *     null
 * @param count how many times it happened
 * @param firstAt when it first happened
 * @param lastAt when it last happened
 */
public record Note(String kind, String detail, long count, Instant firstAt, Instant lastAt) {

  /**
   * As status and the report show it: the plain text once, with the count and time when repeated.
   */
  public String line() {
    String head =
        count <= 1
            ? kind
            : kind + " " + count + " times (first at " + firstAt + ", last at " + lastAt + ")";
    return detail == null ? head : head + ": " + detail;
  }
}
