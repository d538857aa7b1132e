package dev.cutover.workflow;

import dev.cutover.approval.AllowedSigner;
import dev.cutover.approval.ApprovalClaim;
import dev.cutover.approval.ApprovalJudge;
import dev.cutover.approval.ApprovalVerdict;
import dev.cutover.plan.Gate;
import dev.cutover.plan.GateApprovalPolicy;
import dev.cutover.plan.Plan;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The gates' approval policies (issue 18): which approvers' signatures count, how many, whether the
 * person who started the run may be one of them, and whether an unsigned approval counts. Pure
 * judgement of one approval against what the gate has counted so far; {@link GateWait} applies it.
 * Off for runs begun before the change {@link #CHANGE} and for plans without policies, which
 * behave as before: any approval of an open gate opens it.
 */
final class GatePolicies {
  /** The version marker of verified approvals. */
  static final String CHANGE = "verified-approvals";

  /** What {@code cutover approve} is told to add to an unsigned approval. */
  static final String SIGN_HINT = "--sign-with ~/.ssh/id_ed25519";

  private final Map<String, GateApprovalPolicy> policies = new LinkedHashMap<>();
  private final List<AllowedSigner> approvers = new ArrayList<>();
  private final String workflowId;
  private boolean on;
  private Starter starter;

  GatePolicies(Plan plan, Checkpoint checkpoint, String workflowId) {
    this.workflowId = workflowId;
    for (Gate g : plan.gates()) {
      if (g.approval() != null) {
        policies.put(g.name(), g.approval());
      }
    }
    for (String line : plan.approvers()) {
      // Validate refused a malformed line before the run began; one that slipped past signs
      // nothing.
      try {
        approvers.add(AllowedSigner.parse(line));
      } catch (IllegalArgumentException malformed) {
        Workflow.getLogger(GatePolicies.class).warn("approver line refused: {}", malformed.getMessage());
      }
    }
    this.starter = checkpoint == null ? null : checkpoint.starter();
  }

  /** Whether the run has anything to verify: a gate policy, or a signed start. */
  boolean wanted(SignedStart start) {
    return !policies.isEmpty() || (start != null && start.signature() != null);
  }

  /** Turns the policies on (the run records the version marker and verified its starter). */
  void begin(Starter verifiedStarter) {
    this.on = true;
    this.starter = verifiedStarter;
  }

  List<AllowedSigner> approvers() {
    return approvers;
  }

  Starter starter() {
    return starter;
  }

  /** The gate's policy while policies are on; {@code null}: any approval opens it. */
  GateApprovalPolicy policy(String gate) {
    return on ? policies.get(gate) : null;
  }

  Set<String> gatesWithPolicy() {
    return on ? policies.keySet() : Set.of();
  }

  /**
   * Why {@code request} does not count for the open gate {@code gate} (under {@code policy}),
   * or the approver it counts as.
   */
  GateJudgement judge(
      ApproveRequest request, GateApprovalPolicy policy, GateStatus gate, Instant now) {
    List<GateApprover> counted = gate.approvals() == null ? List.of() : gate.approvals();
    GateApprover approver;
    if (!request.signed()) {
      if (!policy.allowsUnsigned()) {
        return refused(
            "gate '"
                + request.gate()
                + "' needs signed approvals ("
                + policy.requireOrDefault()
                + " of "
                + String.join(", ", principals(policy))
                + "); an unsigned approval does not count. Sign it: cutover approve "
                + workflowId
                + " "
                + request.gate()
                + " "
                + SIGN_HINT
                + " (a private key, or its .pub with the key in ssh-agent)");
      }
      approver =
          new GateApprover(
              SignalLimits.clip(request.by(), SignalLimits.MAX_BY_CHARS),
              null,
              false,
              now,
              SignalLimits.clip(request.comment(), SignalLimits.MAX_COMMENT_CHARS),
              null);
    } else {
      String tooLong =
          SignalLimits.firstTooLong(
              "signature",
              request.signature(),
              SignalLimits.MAX_SIGNATURE_CHARS,
              "runId",
              request.runId(),
              SignalLimits.MAX_RUN_ID_CHARS,
              "nonce",
              request.nonce(),
              SignalLimits.MAX_NONCE_CHARS,
              "signedAt",
              request.signedAt(),
              SignalLimits.MAX_SIGNED_AT_CHARS,
              "comment",
              request.comment(),
              SignalLimits.MAX_COMMENT_CHARS,
              "by",
              request.by(),
              SignalLimits.MAX_BY_CHARS);
      if (tooLong != null) {
        return refused("a signed approval is taken whole or not at all: " + tooLong);
      }
      if (request.runId() == null || request.nonce() == null || request.signedAt() == null) {
        return refused(
            "a signed approval names runId, nonce and signedAt, as cutover approve --sign-with"
                + " sends them");
      }
      Instant signedAt;
      try {
        signedAt = Instant.parse(request.signedAt());
      } catch (DateTimeParseException e) {
        return refused(
            "signedAt " + SignalLimits.quote(request.signedAt()) + " is no ISO-8601 instant");
      }
      ApprovalClaim claim =
          new ApprovalClaim(
              workflowId,
              request.runId(),
              request.gate(),
              request.comment(),
              request.by(),
              request.nonce(),
              signedAt);
      ApprovalVerdict verdict =
          ApprovalJudge.judge(
              claim,
              request.signature(),
              signers(policy),
              workflowId,
              Workflow.getInfo().getRunId(),
              request.gate(),
              nonces(counted),
              now);
      if (!verdict.accepted()) {
        return refused(verdict.reason());
      }
      approver =
          new GateApprover(
              verdict.principal(),
              verdict.fingerprint(),
              true,
              now,
              request.comment(),
              request.nonce());
    }
    if (!policy.selfApprovalOrDefault()
        && starter != null
        && starter.principal() != null
        && starter.principal().equals(approver.principal())) {
      return refused(
          approver.shown()
              + " started this run, and gate '"
              + request.gate()
              + "' does not let the starter approve (selfApproval: false); it needs "
              + left(policy, counted)
              + " from: "
              + String.join(", ", stillNeeded(policy, counted)));
    }
    for (GateApprover c : counted) {
      if (Objects.equals(c.principal(), approver.principal())) {
        return refused(
            approver.shown()
                + " already approved gate '"
                + request.gate()
                + "'; each approver counts once; it needs "
                + left(policy, counted)
                + " more from: "
                + String.join(", ", stillNeeded(policy, counted)));
      }
    }
    return new GateJudgement(null, approver);
  }

  /** The approvers whose approval would still count: listed, not yet counted, not the starter. */
  List<String> stillNeeded(GateApprovalPolicy policy, List<GateApprover> counted) {
    List<String> still = new ArrayList<>();
    for (String p : principals(policy)) {
      boolean done = counted.stream().anyMatch(c -> p.equals(c.principal()));
      boolean self =
          !policy.selfApprovalOrDefault() && starter != null && p.equals(starter.principal());
      if (!done && !self) {
        still.add(p);
      }
    }
    return still;
  }

  private static int left(GateApprovalPolicy policy, List<GateApprover> counted) {
    return Math.max(0, policy.requireOrDefault() - counted.size());
  }

  /** The principals the gate takes signatures from, in the plan's order. */
  private List<String> principals(GateApprovalPolicy policy) {
    List<String> out = new ArrayList<>();
    for (AllowedSigner s : signers(policy)) {
      if (!out.contains(s.principal())) {
        out.add(s.principal());
      }
    }
    return out;
  }

  private List<AllowedSigner> signers(GateApprovalPolicy policy) {
    if (policy.from() == null || policy.from().isEmpty()) {
      return approvers;
    }
    return approvers.stream().filter(s -> policy.from().contains(s.principal())).toList();
  }

  private static Set<String> nonces(List<GateApprover> counted) {
    Set<String> seen = new HashSet<>();
    for (GateApprover c : counted) {
      if (c.nonce() != null) {
        seen.add(c.nonce());
      }
    }
    return seen;
  }

  private static GateJudgement refused(String reason) {
    return new GateJudgement(reason, null);
  }
}
