package dev.cutover.workflow;

/** The exact words a person needs to move a waiting run on, for status and the Temporal UI. */
final class OperatorHints {
  private OperatorHints() {}

  static String approveAction(String workflowId, String gate) {
    return "cutover approve " + workflowId + " " + gate + " --comment '...'"
        + "  |  or signal '" + CutoverNames.SIGNAL_APPROVE + "' with {\"gate\": \"" + gate + "\", \"comment\": \"...\"}";
  }

  static String gateDetails(String workflowId, String gate, String description, String before) {
    return "## Waiting for approval: gate `" + gate + "` (before phase " + before + ")\n\n"
        + (description == null ? "" : description + "\n\n")
        + "In the Temporal UI: **Send a Signal** named `" + CutoverNames.SIGNAL_APPROVE + "` with input\n\n"
        + "```json\n{\"gate\": \"" + gate + "\", \"comment\": \"checked by ...\"}\n```\n\n"
        + "From a terminal: `cutover approve " + workflowId + " " + gate + " --comment '...'`";
  }

  static String decideAction(String workflowId, String step) {
    return "cutover decide " + workflowId + " " + step + " retry|skip|abort --comment '...'"
        + "  |  or signal '" + CutoverNames.SIGNAL_DECIDE + "' with {\"step\": \"" + step + "\", \"action\": \"retry\", \"comment\": \"...\"}";
  }

  static String blockedDetails(String workflowId, String step, String host, String error) {
    return "## Step `" + step + "` failed" + (host == null ? "" : " on host " + host) + "; its retries are spent\n\n"
        + "```\n" + error + "\n```\n\n"
        + "Fix the cause, then in the Temporal UI **Send a Signal** named `" + CutoverNames.SIGNAL_DECIDE + "` with\n\n"
        + "```json\n{\"step\": \"" + step + "\", \"action\": \"retry\", \"comment\": \"fixed ...\"}\n```\n\n"
        + "(`action` is one of retry, skip, abort.) From a terminal: `cutover decide " + workflowId + " " + step + " retry`";
  }

  static String runningDetails(String phase, String step, String summary) {
    return "Phase **" + phase + "**: running step `" + step + "`" + (summary == null ? "" : " — " + summary);
  }

  static String waitingDetails(String phase, String reason, java.time.Instant until) {
    return "Phase **" + phase + "**: waiting until " + until + " (" + reason + "). Nothing to do.";
  }
}
