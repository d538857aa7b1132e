package dev.cutover.cli;

import dev.cutover.approval.AllowedSigner;
import dev.cutover.approval.SignatureCheck;
import dev.cutover.approval.SshSignatures;
import dev.cutover.approval.StartClaim;
import dev.cutover.cli.report.TerminalText;
import dev.cutover.plan.Plan;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.SignedStart;
import dev.cutover.workflow.StartVerification;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "start",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a plan and start its migration workflow.",
      "The workflow id is cutover-MIGRATION unless --id is given; a second start of a running migration is refused.",
      "--sign-with KEY signs the start (workflow id, the plan's SHA-256, you, a nonce, the time) with",
      "`ssh-keygen -Y sign` in namespace cutover-start; the workflow verifies it against the plan's",
      "approvers and records you as the starter, so a gate with selfApproval: false can keep you out.",
      "A plan with such a gate is refused without --sign-with: an unverified starter cannot be kept out."
    })
class StartCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "PLAN", description = "The plan file (YAML).")
  Path plan;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description = "Workflow id (default: cutover-<migration>).")
  String id;

  @Option(
      names = "--sign-with",
      paramLabel = "KEY",
      description =
          "Sign the start with this SSH key (default: $"
              + SshSigner.KEY_ENV
              + "): a private key file, or its .pub with the key in ssh-agent.")
  Path signWith;

  @Override
  public Integer call() {
    Plan p = PlanFiles.load(plan, spec.commandLine().getErr());
    String workflowId = id != null ? id : CutoverNames.workflowId(p.migration());
    refuseUnsignedWhereTheStarterIsKeptOut(p);
    if (SshSigner.key(signWith) != null) {
      SshSigner.requireReadable(SshSigner.key(signWith));
    }
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      MigrationWorkflow workflow =
          temporal.client.newWorkflowStub(
              MigrationWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(workflowId)
                  .setTaskQueue(CutoverNames.TASK_QUEUE)
                  .setTypedSearchAttributes(
                      SearchAttributes.newBuilder()
                          .set(CutoverSearchAttributes.MIGRATION, p.migration())
                          .set(CutoverSearchAttributes.PHASE, "starting")
                          .build())
                  .setStaticSummary("cutover: " + p.migration())
                  .build());
      var execution =
          WorkflowClient.start(
              workflow::run, new MigrationInput(p, null, null, signedStart(p, workflowId)));
      var out = spec.commandLine().getOut();
      out.printf("started %s (run %s)%n", execution.getWorkflowId(), execution.getRunId());
      out.printf("follow it:  cutover status %s --watch%n", execution.getWorkflowId());
      return ExitCode.OK;
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new CliFailure(
          ExitCode.FAILED,
          "a migration with id "
              + workflowId
              + " is already running; see `cutover status "
              + workflowId
              + "`, or pass --id");
    }
  }

  /**
   * A gate that keeps the starter out (selfApproval false) can only do so if the workflow knows who
   * started: an unverified starter could approve their own run, so such a start must be signed.
   */
  private void refuseUnsignedWhereTheStarterIsKeptOut(Plan p) {
    if (SshSigner.key(signWith) != null) {
      return;
    }
    List<String> keepOut =
        p.gates().stream()
            .filter(g -> g.approval() != null && !g.approval().selfApprovalOrDefault())
            .map(g -> g.name())
            .toList();
    if (!keepOut.isEmpty()) {
      throw new CliFailure(
          ExitCode.INVALID_INPUT,
          "gate "
              + String.join(", ", keepOut)
              + " of "
              + plan
              + " does not let the person who started the run approve it (selfApproval: false),"
              + " so the start must say verifiably who you are: cutover start "
              + plan
              + " "
              + "--sign-with ~/.ssh/id_ed25519"
              + " (or set $"
              + SshSigner.KEY_ENV
              + ")");
    }
  }

  /**
   * Who starts: the client's identity, and with a key the signed claim, checked here first against
   * the plan's approvers so a key the workflow would refuse stops the start before it begins.
   */
  private SignedStart signedStart(Plan p, String workflowId) {
    String by = TemporalConnection.identity();
    Path key = SshSigner.key(signWith);
    if (key == null) {
      return new SignedStart(by, null, null);
    }
    StartClaim claim =
        new StartClaim(
            workflowId,
            StartVerification.planSha256(p),
            by,
            SshSigner.nonce(),
            Instant.now().truncatedTo(ChronoUnit.MILLIS));
    String signature = SshSigner.sign(key, claim.signedText(), SshSignatures.START_NAMESPACE);
    List<AllowedSigner> approvers = new ArrayList<>();
    for (String line : p.approvers()) {
      approvers.add(AllowedSigner.parse(line));
    }
    SignatureCheck check =
        SshSignatures.verify(
            signature,
            claim.signedText().getBytes(StandardCharsets.UTF_8),
            SshSignatures.START_NAMESPACE,
            approvers);
    if (!check.valid()) {
      throw new CliFailure(
          ExitCode.INVALID_INPUT,
          "the start signed with "
              + key
              + " would not verify against the approvers of "
              + plan
              + ": "
              + check.reason());
    }
    spec.commandLine()
        .getOut()
        .printf(
            "signed the start as %s (%s)%n",
            TerminalText.line(check.signer().principal()), check.signer().fingerprint());
    return new SignedStart(by, claim, signature);
  }
}
