package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.GateApprovalPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorHintsTest {
  private static final String ID = "cutover-shop";

  @Test
  void aGateWithoutPolicySaysToSendTheUpdateFromTheUi() {
    // when a gate without an approval policy waits
    String details = OperatorHints.gateDetails(ID, "go-downtime", "checked?", "downtime", null);

    // then the UI's Current Details name the update and its input first, the signal as a fallback
    assertThat(details)
        .startsWith("## Waiting for approval: gate `go-downtime` (before phase downtime)")
        .contains("**More Actions > Send an Update**, name `approveGate`")
        .contains("{\"gate\": \"go-downtime\", \"comment\": \"checked by ...\", \"by\":")
        .contains("**Send a Signal** `approve`")
        .contains("`by` is what you claim")
        .contains("`cutover approve cutover-shop go-downtime --comment '...'`")
        .doesNotContain("--sign-with");
  }

  @Test
  void aGateThatNeedsSignaturesSaysHowToSignAndThatTheUiIsRefused() {
    // when a gate that refuses unsigned approvals waits for two
    GateApprovalPolicy policy = new GateApprovalPolicy(2, List.of("ann", "bob"), null, null);
    String details = OperatorHints.gateDetails(ID, "go-live", null, "switch", policy);

    // then the terminal with a key comes first, and the UI's unsigned update is said to be refused
    assertThat(details)
        .contains("needs 2 signed approvals, each from a different approver")
        .contains(
            "`cutover approve cutover-shop go-live --comment '...' --sign-with ~/.ssh/id_ed25519`")
        .contains("The Temporal UI cannot sign")
        .contains("is refused with this same hint, and leaves no event")
        .doesNotContain("```json");
  }

  @Test
  void aGateThatAllowsUnsignedSaysTheUiApprovalIsUnverified() {
    // when a gate that counts unsigned approvals waits
    GateApprovalPolicy policy = new GateApprovalPolicy(null, null, null, GateApprovalPolicy.ALLOW);
    String details = OperatorHints.gateDetails(ID, "go-live", null, "switch", policy);

    // then the UI works, marked unverified, and signing is the verified way
    assertThat(details)
        .contains("Send an Update**, name `approveGate`")
        .contains("counts as one of the 1 the gate needs, marked unverified")
        .contains(
            "signed and verified: `cutover approve cutover-shop go-live --comment '...' --sign-with");
  }
}
