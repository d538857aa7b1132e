package dev.cutover.cli;

import dev.cutover.approval.ApprovalClaim;
import dev.cutover.approval.SshSignatures;
import dev.cutover.cli.report.TerminalText;
import dev.cutover.workflow.ApproveRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.GateApproval;
import dev.cutover.workflow.GateApprover;
import io.temporal.client.WorkflowNotFoundException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "approve",
    mixinStandardHelpOptions = true,
    description = {
      "Approve an open gate.",
      "The workflow answers at once: exit 3 with its reason if the gate is unknown, not open yet,",
      "already approved, or its approval policy does not count this approval.",
      "A gate with an approval policy in the plan counts signed approvals: --sign-with KEY signs",
      "this approval (workflow, run, gate, comment, a nonce and the time) with `ssh-keygen -Y sign`",
      "in namespace cutover-approval; the workflow checks it against the plan's approvers. KEY is",
      "a private key file, or a .pub whose private key is in ssh-agent.",
      "Unsigned, only the identity your client declares is recorded (not verified).",
      "Same as sending update 'approveGate' (or signal 'approve') with {\"gate\": \"GATE\", \"comment\": \"...\"}."
    })
class ApproveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(index = "0", paramLabel = "ID", description = "Workflow id.")
  String id;

  @Parameters(index = "1", paramLabel = "GATE", description = "Gate name, as in the plan.")
  String gate;

  @Option(
      names = "--comment",
      paramLabel = "TEXT",
      description = "Why it is safe to go on; kept in the history (and signed).")
  String comment;

  @Option(
      names = "--sign-with",
      paramLabel = "KEY",
      description =
          "Sign the approval with this SSH key (default: $"
              + SshSigner.KEY_ENV
              + "): a private key file, or its .pub with the key in ssh-agent.")
  Path signWith;

  @Override
  public Integer call() {
    Path key = SshSigner.key(signWith);
    if (key != null) {
      SshSigner.requireReadable(key);
    }
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      ApproveRequest request =
          key == null
              ? new ApproveRequest(gate, comment, TemporalConnection.identity())
              : signed(temporal, key);
      GateApproval approval =
          WorkflowUpdates.send(
              id,
              "approval of gate " + gate,
              () ->
                  temporal
                      .stub(id)
                      .update(CutoverNames.UPDATE_APPROVE, GateApproval.class, request));
      spec.commandLine().getOut().println(verdict(id, approval));
      return ExitCode.OK;
    }
  }

  /** The approval signed for the run the workflow id names now. */
  private ApproveRequest signed(TemporalConnection temporal, Path key) {
    String runId;
    try {
      runId = temporal.stub(id).describe().getExecution().getRunId();
    } catch (WorkflowNotFoundException e) {
      throw new CliFailure(ExitCode.FAILED, "no running migration with id " + id);
    }
    // Who signed is the key's principal in the plan, which the workflow records; a claimed name
    // here would have to match it, and the CLI does not know it.
    String by = null;
    String nonce = SshSigner.nonce();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    ApprovalClaim claim = new ApprovalClaim(id, runId, gate, comment, by, nonce, now);
    String signature =
        SshSigner.sign(key, claim.signedText(), SshSignatures.APPROVAL_NAMESPACE);
    return new ApproveRequest(gate, comment, by, runId, nonce, now.toString(), signature);
  }

  /** What the workflow made of it, in one line. */
  static String verdict(String id, GateApproval a) {
    String gateName = TerminalText.line(a.gate());
    if (a.required() == null) {
      return String.format(
          "approved gate %s of %s at %s", gateName, TerminalText.line(id), a.approvedAt());
    }
    String who =
        TerminalText.line(
            GateApprover.shown(a.principal(), a.fingerprint(), Boolean.TRUE.equals(a.verified())));
    if (a.gatePassed()) {
      return String.format(
          "approved gate %s of %s at %s: %s counted, %d of %d approvals; the run goes on",
          gateName, TerminalText.line(id), a.approvedAt(), who, a.approvals(), a.required());
    }
    return String.format(
        "approval of gate %s of %s counted: %s, %d of %d approvals; still needed from: %s",
        gateName,
        TerminalText.line(id),
        who,
        a.approvals(),
        a.required(),
        TerminalText.line(String.join(", ", a.stillNeeded())));
  }
}
