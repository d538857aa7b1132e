package dev.cutover.e2e.browser;

/**
 * What the Send an Update dialog said: accepted (its "Update successful" toast, the dialog closed)
 * or refused, with the failure's message the workflow gave (the UI's red alert, its title).
 */
record UpdateAnswer(boolean accepted, String message) {
  static UpdateAnswer accepted(String toast) {
    return new UpdateAnswer(true, toast);
  }

  static UpdateAnswer refused(String message) {
    return new UpdateAnswer(false, message);
  }

  /** "accepted" or "refused": the word the command's --expect takes. */
  String outcome() {
    return accepted ? "accepted" : "refused";
  }
}
