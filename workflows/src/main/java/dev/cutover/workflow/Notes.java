package dev.cutover.workflow;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The run's notes as a bounded ring: notes of the same kind collapse into one entry with a count,
 * the least recently seen entry is dropped when the ring is full, and the drops are counted. The
 * history keeps every event a note came from; the record only keeps what a person can read.
 */
final class Notes {
  /**
   * Enough for every distinct thing worth telling in one run; a loop repeats kinds, it does not add
   * them.
   */
  static final int MAX_ENTRIES = 40;

  /** A kind names a step, a gate or a notification: a line. */
  static final int MAX_KIND_CHARS = 200;

  /** An error or a reason: the first lines say what went wrong; the history has the rest. */
  static final int MAX_DETAIL_CHARS = 500;

  /** Oldest (least recently seen) first. */
  private final List<Note> entries = new ArrayList<>();

  private long dropped;

  /**
   * Adds a note of {@code kind}, or counts it into the entry of the same kind, which moves to the
   * end.
   */
  void add(String kind, String detail, Instant at) {
    String k = SignalLimits.clip(kind == null ? "note" : kind, MAX_KIND_CHARS);
    String d = SignalLimits.clip(detail, MAX_DETAIL_CHARS);
    for (int i = 0; i < entries.size(); i++) {
      Note n = entries.get(i);
      if (n.kind().equals(k)) {
        entries.remove(i);
        entries.add(new Note(k, d, n.count() + 1, n.firstAt(), at));
        return;
      }
    }
    entries.add(new Note(k, d, 1, at, at));
    while (entries.size() > MAX_ENTRIES) {
      dropped += entries.remove(0).count();
    }
  }

  /** A note from a checkpoint, kept as it was (bounded again). */
  private void restore(Note n) {
    entries.add(
        new Note(
            SignalLimits.clip(n.kind(), MAX_KIND_CHARS),
            SignalLimits.clip(n.detail(), MAX_DETAIL_CHARS),
            Math.max(1, n.count()),
            n.firstAt(),
            n.lastAt()));
    while (entries.size() > MAX_ENTRIES) {
      dropped += entries.remove(0).count();
    }
  }

  /**
   * The notes a checkpoint carried: the bounded entries of this version, or the plain lines of runs
   * before it, whose repeats collapse here (a line's kind is its text before the first ": ").
   */
  static Notes restore(List<Note> entries, long dropped, List<String> legacyLines, Instant at) {
    Notes notes = new Notes();
    notes.dropped = dropped;
    if (entries != null) {
      entries.forEach(notes::restore);
    }
    if (legacyLines != null) {
      for (String line : legacyLines) {
        int colon = line == null ? -1 : line.indexOf(": ");
        notes.add(
            colon < 0 ? line : line.substring(0, colon),
            colon < 0 ? null : line.substring(colon + 2),
            at);
      }
    }
    return notes;
  }

  List<Note> entries() {
    return List.copyOf(entries);
  }

  long dropped() {
    return dropped;
  }

  boolean isEmpty() {
    return entries.isEmpty() && dropped == 0;
  }

  /** The lines status shows: how many were dropped, then the last {@code max} entries. */
  List<String> lines(int max) {
    List<String> lines = new ArrayList<>();
    long left = dropped;
    int from = Math.max(0, entries.size() - max);
    for (int i = 0; i < from; i++) {
      left += entries.get(i).count();
    }
    if (left > 0) {
      lines.add(
          left + " earlier note(s) dropped to keep the run's state bounded; the history has them");
    }
    for (int i = from; i < entries.size(); i++) {
      lines.add(entries.get(i).line());
    }
    return lines;
  }
}
