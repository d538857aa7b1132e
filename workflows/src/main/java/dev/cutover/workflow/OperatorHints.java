package dev.cutover.workflow;

import dev.cutover.plan.GateApprovalPolicy;

/** The exact words a person needs to move a waiting run on, for status and the Temporal UI. */
final class OperatorHints {
  private OperatorHints() {}

  static String approveAction(String workflowId, String gate) {
    return "cutover approve "
        + workflowId
        + " "
        + gate
        + " --comment '...'"
        + "  |  or in the Temporal UI Send an Update '"
        + CutoverNames.UPDATE_APPROVE
        + "' with {\"gate\": \""
        + gate
        + "\", \"comment\": \"...\"}";
  }

  /** A gate whose policy counts signed approvals: sign with the approver's SSH key. */
  static String signedApproveAction(String workflowId, String gate, int required) {
    return "cutover approve "
        + workflowId
        + " "
        + gate
        + " --comment '...' --sign-with ~/.ssh/id_ed25519"
        + "  |  ("
        + required
        + " signed approval"
        + (required == 1 ? "" : "s, each from a different approver")
        + "; see the gate in status for who is still needed)";
  }

  /**
   * The UI's Current Details at a gate: the update first, since the UI shows its refusal at once
   * and a refused update leaves no event; the signal still works (the demo and older notes use it).
   * The UI signs nothing and declares no signed-in user: a gate that needs signatures is approved
   * from a terminal.
   *
   * @param policy the gate's approval policy, or null (any approval counts, unverified)
   */
  static String gateDetails(
      String workflowId,
      String gate,
      String description,
      String before,
      GateApprovalPolicy policy) {
    String signed =
        "`cutover approve "
            + workflowId
            + " "
            + gate
            + " --comment '...' "
            + GatePolicies.SIGN_HINT
            + "` (a private key, or its .pub with the key in ssh-agent)";
    String head =
        "## Waiting for approval: gate `"
            + gate
            + "` (before phase "
            + before
            + ")\n\n"
            + (description == null ? "" : description + "\n\n");
    String ui =
        "**More Actions > Send an Update**, name `"
            + CutoverNames.UPDATE_APPROVE
            + "`, with the input\n\n"
            + "```json\n{\"gate\": \""
            + gate
            + "\", \"comment\": \"checked by ...\", \"by\": \"your name\"}\n```\n\n";
    if (policy != null && !policy.allowsUnsigned()) {
      int n = policy.requireOrDefault();
      return head
          + "This gate needs "
          + (n == 1 ? "a signed approval" : n + " signed approvals, each from a different approver")
          + " of the plan. From a terminal: "
          + signed
          + ".\n\nThe Temporal UI cannot sign: an approval sent there (**Send an Update** `"
          + CutoverNames.UPDATE_APPROVE
          + "`) is refused with this same hint, and leaves no event.";
    }
    return head
        + "In the Temporal UI: "
        + ui
        + "The UI shows at once whether the workflow took it, and why not. (**Send a Signal** `"
        + CutoverNames.SIGNAL_APPROVE
        + "` with the same input works too, but a signal that does not apply is only noted in"
        + " the status.) `by` is what you claim: the UI declares no signed-in user"
        + (policy == null
            ? ".\n\nFrom a terminal: `cutover approve "
                + workflowId
                + " "
                + gate
                + " --comment '...'`."
            : ", and this approval counts as one of the "
                + policy.requireOrDefault()
                + " the gate needs, marked unverified.\n\nFrom a terminal, signed and verified: "
                + signed
                + ".");
  }

  /**
   * What the last presync round says about the final sync: it copies what changed since, so if the
   * rounds are as far apart as the gate is from the last one, it takes about as long.
   */
  static String finalSyncEstimate(PresyncRound last) {
    if (last == null) {
      return null;
    }
    return String.format(
        java.util.Locale.ROOT,
        "Final sync estimate: about %s (presync round %d changed %,d files and sent %s; its rsync steps took %s).",
        dev.cutover.plan.load.DurationText.format(
            java.time.Duration.ofSeconds(Math.max(1, (last.syncMillis() + 500) / 1000))),
        last.round(),
        last.changedFiles(),
        dev.cutover.steps.ByteText.of(last.bytesSent()),
        dev.cutover.plan.load.DurationText.format(java.time.Duration.ofMillis(last.syncMillis())));
  }

  static String decideAction(String workflowId, String step) {
    return "cutover decide "
        + workflowId
        + " "
        + step
        + " retry|skip|abort --comment '...'"
        + "  |  or signal '"
        + CutoverNames.SIGNAL_DECIDE
        + "' with {\"step\": \""
        + step
        + "\", \"action\": \"retry\", \"comment\": \"...\"}";
  }

  static String blockedDetails(String workflowId, String step, String host, String error) {
    return "## Step `"
        + step
        + "` failed"
        + (host == null ? "" : " on host " + host)
        + "; its retries are spent\n\n"
        + "```\n"
        + error
        + "\n```\n\n"
        + "Fix the cause, then in the Temporal UI **Send a Signal** named `"
        + CutoverNames.SIGNAL_DECIDE
        + "` with\n\n"
        + "```json\n{\"step\": \""
        + step
        + "\", \"action\": \"retry\", \"comment\": \"fixed ...\"}\n```\n\n"
        + "(`action` is one of retry, skip, abort.) From a terminal: `cutover decide "
        + workflowId
        + " "
        + step
        + " retry`";
  }

  static String runningDetails(String phase, String step, String summary) {
    return "Phase **"
        + phase
        + "**: running step `"
        + step
        + "`"
        + (summary == null ? "" : " — " + summary);
  }

  static String waitingDetails(String phase, String reason, java.time.Instant until) {
    return "Phase **" + phase + "**: waiting until " + until + " (" + reason + "). Nothing to do.";
  }
}
