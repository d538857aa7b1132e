package dev.cutover.plan.load;

import dev.cutover.approval.AllowedSigner;
import dev.cutover.plan.Gate;
import dev.cutover.plan.GateApprovalPolicy;
import dev.cutover.plan.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** Validation of the plan's approvers and of each gate's approval policy. */
final class ApproverChecks {
  /**
   * The most approvers a plan lists: the workflow checks signatures against them in its handlers
   * and the plan travels in every continued run; a team's approvers are a handful.
   */
  static final int MAX_APPROVERS = 100;

  private final Plan plan;
  private final BiConsumer<String, String> report;

  ApproverChecks(Plan plan, BiConsumer<String, String> report) {
    this.plan = plan;
    this.report = report;
  }

  void check() {
    List<String> lines = plan.approvers();
    if (lines.size() > MAX_APPROVERS) {
      report.accept(
          "approvers", lines.size() + " approvers; a plan lists at most " + MAX_APPROVERS);
      return;
    }
    // Names count even from a line that does not parse, so a gate naming it is not reported too.
    Set<String> names = new LinkedHashSet<>();
    Map<String, String> principalAt = new HashMap<>();
    Map<String, String> keyAt = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String path = "approvers[" + i + "]";
      String line = lines.get(i);
      String name = firstToken(line);
      if (name != null) {
        names.add(name);
      }
      AllowedSigner signer;
      try {
        signer = AllowedSigner.parse(line);
      } catch (IllegalArgumentException e) {
        report.accept(
            path,
            "not an allowed_signers line (principal [options] key-type key [comment]): "
                + e.getMessage());
        continue;
      }
      String first = principalAt.putIfAbsent(signer.principal(), path);
      if (first != null) {
        report.accept(
            path, "approver '" + signer.principal() + "' is listed twice (first at " + first + ")");
      }
      String sameKey = keyAt.putIfAbsent(signer.fingerprint(), path);
      if (sameKey != null && first == null) {
        // One key for two names would let one person give two of the approvals a gate requires.
        report.accept(
            path,
            "the key of '"
                + signer.principal()
                + "' is the key of "
                + sameKey
                + " too; each approver needs a key of their own");
      }
    }
    List<Gate> gates = plan.gates();
    for (int i = 0; i < gates.size(); i++) {
      if (gates.get(i).approval() != null) {
        checkPolicy("gates[" + i + "].approval", gates.get(i).approval(), names);
      }
    }
  }

  private void checkPolicy(String path, GateApprovalPolicy policy, Set<String> names) {
    if (names.isEmpty()) {
      report.accept(
          path,
          "the gate asks for signed approvals but the plan has no approvers: list who may sign under approvers");
      return;
    }
    Set<String> pool = new LinkedHashSet<>();
    if (policy.from() == null) {
      pool.addAll(names);
    } else {
      if (policy.from().isEmpty()) {
        report.accept(path + ".from", "names nobody: leave it out to let every approver approve");
      }
      for (int j = 0; j < policy.from().size(); j++) {
        String name = policy.from().get(j);
        if (!names.contains(name)) {
          report.accept(
              path + ".from[" + j + "]",
              "'"
                  + name
                  + "' is not one of the plan's approvers ("
                  + String.join(", ", names)
                  + ")");
        } else if (!pool.add(name)) {
          report.accept(path + ".from[" + j + "]", "'" + name + "' is listed twice");
        }
      }
    }
    Integer require = policy.require();
    if (require != null && require < 1) {
      report.accept(path + ".require", "require must be at least 1");
    } else if (require != null && require > pool.size() && !pool.isEmpty()) {
      report.accept(
          path + ".require",
          "require: "
              + require
              + " cannot be met: only "
              + pool.size()
              + " approver"
              + (pool.size() == 1 ? "" : "s")
              + " may approve this gate ("
              + String.join(", ", pool)
              + ")");
    }
    if (policy.unsigned() != null
        && !List.of(GateApprovalPolicy.REFUSE, GateApprovalPolicy.ALLOW)
            .contains(policy.unsigned())) {
      report.accept(
          path + ".unsigned",
          "'"
              + policy.unsigned()
              + "' is not refuse or allow: refuse counts only signed approvals, allow counts an unsigned one as unverified");
    }
  }

  private static String firstToken(String line) {
    if (line == null || line.isBlank()) {
      return null;
    }
    String token = line.strip().split("\\s+", 2)[0];
    return new ArrayList<>(List.of(token.split(",", -1))).get(0);
  }
}
