package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutover.approval.ApprovalClaim;
import dev.cutover.approval.SshSignatures;
import dev.cutover.approval.StartClaim;
import dev.cutover.plan.Plan;
import io.temporal.client.WorkflowUpdateException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Gates under an approval policy (issue 18): signed approvals counted per approver until the gate
 * has what it needs, the starter kept out where the plan says so, unsigned approvals refused with
 * how to sign, and a deadline that fails closed when too few signed. Keys are made in the test and
 * sign as ssh-keygen does; the time is the test server's, skipped ahead.
 */
class VerifiedApprovalsTest extends WorkflowTestSupport {
  final TestSshKey alice = new TestSshKey("alice@example.com");
  final TestSshKey bob = new TestSshKey("bob@example.com");
  final TestSshKey carol = new TestSshKey("carol@example.com");

  Plan plan(String approval) {
    return Plans.parse(
        """
        migration: signed
        hosts: {old: {}}
        approvers:
          - %s
          - %s
          - %s
        gates:
          - {name: go, before: downtime, %s}
        phases:
          prepare:  {steps: [{name: prep, kind: run, host: old, command: prep, undo: {kind: run, host: old, command: unprep}}]}
          downtime: {steps: [{name: stop, kind: run, host: old, command: stop}]}
        """
            .formatted(
                alice.allowedSigner(), bob.allowedSigner(), carol.allowedSigner(), approval));
  }

  @Test
  void twoOfThreeOpensOnlyWithTwoDifferentKeys() {
    // given a gate that needs two of the three approvers, open
    MigrationWorkflow workflow = start(plan("approval: {require: 2}"));
    MigrationStatus open = awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));
    assertThat(open.gates().get(0).required()).isEqualTo(2);
    assertThat(open.gates().get(0).stillNeeded())
        .containsExactly(alice.principal(), bob.principal(), carol.principal());

    // when alice approves, then again with a fresh nonce
    GateApproval first = workflow.approveGate(signed(alice, "go", "presync is small"));
    assertThatThrownBy(() -> workflow.approveGate(signed(alice, "go", "really")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("alice@example.com (SHA256:")
        .hasMessageContaining("already approved gate 'go'; each approver counts once")
        .hasMessageContaining("1 more from: bob@example.com, carol@example.com");

    // then her approval counted once and the gate is still open
    assertThat(first.passed()).isFalse();
    assertThat(first.verified()).isTrue();
    assertThat(first.approvals()).isEqualTo(1);
    assertThat(first.stillNeeded()).containsExactly(bob.principal(), carol.principal());
    MigrationStatus waiting = workflow.status();
    assertThat(waiting.waitingFor()).isEqualTo("gate:go");
    assertThat(waiting.gates().get(0).approvals()).hasSize(1);
    assertThat(run.commands).containsExactly("prep");

    // when bob approves too (by signal, as a client without updates would)
    untyped().signal(CutoverNames.SIGNAL_APPROVE, signed(bob, "go", "checked the rounds"));

    // then the gate opens with both recorded, verified, with their key fingerprints
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);
    GateStatus gate = workflow.status().gates().get(0);
    assertThat(gate.state()).isEqualTo(GateState.APPROVED);
    assertThat(gate.approvals())
        .extracting(GateApprover::principal)
        .containsExactly(alice.principal(), bob.principal());
    assertThat(gate.approvals()).allMatch(a -> a.verified() && a.fingerprint().startsWith("SHA256:"));
    assertThat(gate.by()).contains("alice@example.com (SHA256:").contains("bob@example.com (SHA256:");
    assertThat(run.commands).containsExactly("prep", "stop");
  }

  @Test
  void unsignedApprovalIsRefusedWithHowToSignAndANoteForASignal() {
    // given a gate that needs a signature
    MigrationWorkflow workflow = start(plan("approval: {require: 1}"));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));

    // when someone approves without signing, by update and by signal (the Temporal UI)
    assertThatThrownBy(() -> workflow.approveGate(new ApproveRequest("go", "lgtm", "mallory")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("gate 'go' needs signed approvals")
        .hasMessageContaining("cutover approve " + ID + " go --sign-with ~/.ssh/id_ed25519");
    untyped().signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go", "lgtm", "mallory"));

    // then the gate stays open and status says why the signal did nothing
    MigrationStatus status = awaitStatus(workflow, s -> !s.notes().isEmpty());
    assertThat(status.waitingFor()).isEqualTo("gate:go");
    assertThat(status.notes())
        .anyMatch(n -> n.contains("ignored signal approve: gate 'go' needs signed approvals"));
    assertThat(status.gates().get(0).approvals()).isEmpty();
  }

  @Test
  void anApprovalSignedForAnotherGateIsRefused() {
    // given an open gate
    MigrationWorkflow workflow = start(plan("approval: {require: 1}"));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));

    // when alice's signature for another gate is sent for this one
    ApproveRequest other = signed(alice, "go-live", "for the other gate");
    ApproveRequest replayed =
        new ApproveRequest(
            "go",
            other.comment(),
            other.by(),
            other.runId(),
            other.nonce(),
            other.signedAt(),
            other.signature());

    // then it is refused and the gate stays open
    assertThatThrownBy(() -> workflow.approveGate(replayed))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("signature does not match");
    assertThat(workflow.status().waitingFor()).isEqualTo("gate:go");
  }

  @Test
  void anApprovalSignedForAnotherRunIsRefusedAsReplayed() {
    // given an open gate, and alice's approval signed for an earlier run of the same id
    MigrationWorkflow workflow = start(plan("approval: {require: 1}"));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));
    ApproveRequest mine = signed(alice, "go", "for the old run");
    ApprovalClaim claim =
        new ApprovalClaim(
            ID,
            "an-earlier-run",
            "go",
            mine.comment(),
            mine.by(),
            mine.nonce(),
            Instant.parse(mine.signedAt()));
    ApproveRequest replayed =
        new ApproveRequest(
            "go",
            mine.comment(),
            mine.by(),
            "an-earlier-run",
            mine.nonce(),
            mine.signedAt(),
            alice.sign(claim.signedText(), SshSignatures.APPROVAL_NAMESPACE));

    // when it is sent to this run, then it is refused naming the run it was signed for
    assertThatThrownBy(() -> workflow.approveGate(replayed))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("signed for another gate or run")
        .hasMessageContaining("of run an-earlier-run");
    assertThat(workflow.status().waitingFor()).isEqualTo("gate:go");
  }

  @Test
  void theVerifiedStarterCannotApproveWhereSelfApprovalIsOff() {
    // given a run alice started with her signature, and a gate that needs one approval, not hers
    Plan plan = plan("approval: {require: 1, selfApproval: false}");
    MigrationWorkflow workflow = start(new MigrationInput(plan, null, null, signedStart(alice, plan)));
    MigrationStatus open = awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));
    assertThat(open.startedBy().verified()).isTrue();
    assertThat(open.startedBy().principal()).isEqualTo(alice.principal());
    assertThat(open.gates().get(0).stillNeeded())
        .containsExactly(bob.principal(), carol.principal());

    // when alice approves her own run
    // then it is refused with the reason
    assertThatThrownBy(() -> workflow.approveGate(signed(alice, "go", "mine")))
        .isInstanceOf(WorkflowUpdateException.class)
        .rootCause()
        .hasMessageContaining("started this run, and gate 'go' does not let the starter approve");

    // and carol's approval opens it
    assertThat(workflow.approveGate(signed(carol, "go", "ok")).passed()).isTrue();
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);
  }

  @Test
  void aStartSignedByAKeyNotAmongTheApproversFailsBeforeAnythingRuns() {
    // given a start signed by a key the plan does not list
    Plan plan = plan("approval: {require: 1}");
    TestSshKey mallory = new TestSshKey("mallory@example.com");

    // when the run starts
    start(new MigrationInput(plan, null, null, signedStart(mallory, plan)));

    // then it fails with the reason, and no step ran
    assertThatThrownBy(this::result)
        .isInstanceOf(io.temporal.client.WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("the start's signature was refused, so nothing ran");
    assertThat(run.commands).isEmpty();
  }

  @Test
  void theStarterMayApproveWhereThePlanAllowsIt() {
    // given alice started the run and the gate lets the starter approve
    Plan plan = plan("approval: {require: 1, selfApproval: true}");
    MigrationWorkflow workflow = start(new MigrationInput(plan, null, null, signedStart(alice, plan)));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));

    // when she approves, then the run goes on
    assertThat(workflow.approveGate(signed(alice, "go", "mine")).passed()).isTrue();
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);
  }

  @Test
  void aDeadlineFailsClosedWithOneOfTwoApprovals() {
    // given a gate that needs two approvals within an hour
    MigrationWorkflow workflow = start(plan("deadline: 1h, approval: {require: 2}"));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));

    // when only alice signs before the deadline
    workflow.approveGate(signed(alice, "go", "one of two"));
    MigrationResult result = result();

    // then the run aborts before the downtime, undoes what ran, and says how far the gate got
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(result.abortReason())
        .contains("gate go expired after 1h without approval (1 of 2 approvals: alice@example.com");
    assertThat(run.commands).containsExactly("prep", "unprep");
  }

  @Test
  void unsignedApprovalsCountAsUnverifiedWhereThePlanAllowsThem() {
    // given a gate that takes unsigned approvals
    MigrationWorkflow workflow = start(plan("approval: {require: 1, unsigned: allow}"));
    awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));

    // when the Temporal UI approves without a signature
    untyped()
        .signal(CutoverNames.SIGNAL_APPROVE, new ApproveRequest("go", "from the UI", "bob"));

    // then it counts, marked unverified with the identity it claimed
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);
    GateApprover approver = workflow.status().gates().get(0).approvals().get(0);
    assertThat(approver.verified()).isFalse();
    assertThat(approver.shown()).isEqualTo("unverified (claimed identity bob)");
  }

  @Test
  void aPlanWithoutPoliciesTakesAnyApprovalAsBefore() {
    // given a plan with approvers but no policy on its gate
    MigrationWorkflow workflow = start(plan("description: no policy"));
    MigrationStatus open = awaitStatus(workflow, s -> "gate:go".equals(s.waitingFor()));
    assertThat(open.gates().get(0).required()).isNull();

    // when an unsigned approval comes, then the run goes on
    workflow.approveGate(new ApproveRequest("go", "as before", "tester"));
    assertThat(result().outcome()).isEqualTo(MigrationState.COMPLETED);
  }

  /** An approval as {@code cutover approve --sign-with} makes it, for this run, now. */
  ApproveRequest signed(TestSshKey key, String gate, String comment) {
    String runId = untyped().describe().getExecution().getRunId();
    Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
    String nonce = UUID.randomUUID().toString();
    ApprovalClaim claim =
        new ApprovalClaim(ID, runId, gate, comment, key.principal(), nonce, now);
    return new ApproveRequest(
        gate,
        comment,
        key.principal(),
        runId,
        nonce,
        now.toString(),
        key.sign(claim.signedText(), SshSignatures.APPROVAL_NAMESPACE));
  }

  SignedStart signedStart(TestSshKey key, Plan plan) {
    StartClaim claim =
        new StartClaim(
            ID,
            StartVerification.planSha256(plan),
            key.principal(),
            UUID.randomUUID().toString(),
            Instant.ofEpochMilli(env.currentTimeMillis()));
    return new SignedStart(
        key.principal(), claim, key.sign(claim.signedText(), SshSignatures.START_NAMESPACE));
  }
}
