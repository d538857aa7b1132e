package dev.cutover.fleet;

import java.util.ArrayList;
import java.util.List;

/** The fleet's last notes (refused messages, holds, strangers' events): bounded, oldest dropped. */
final class FleetNotes {
  /** One note's length: a refusal with its reason, never a payload. */
  static final int MAX_NOTE_CHARS = 500;

  private final List<String> notes = new ArrayList<>();
  private int dropped;

  void add(String note) {
    notes.add(clip(note, MAX_NOTE_CHARS));
    while (notes.size() > FleetStatus.MAX_NOTES) {
      notes.remove(0);
      dropped++;
    }
  }

  List<String> all() {
    if (dropped == 0) {
      return List.copyOf(notes);
    }
    List<String> shown = new ArrayList<>(notes);
    shown.set(0, "(" + dropped + " older note(s) left out)");
    return List.copyOf(shown);
  }

  static String clip(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "… (" + text.length() + " characters)";
  }
}
