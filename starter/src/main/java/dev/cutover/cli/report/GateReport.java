package dev.cutover.cli.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A gate and its approval.
 *
 * @param before the phase it opens before
 * @param state pending (never opened), open, approved, or closed without approval
 * @param openedAt when the workflow opened it
 * @param approvedAt when the approval was accepted
 * @param waited from opening to approval (or to now, while open)
 * @param by who the payload says approved
 * @param identity who Temporal recorded on the signal or update event
 * @param comment the approver's comment
 * @param via signal or update
 * @param required under the gate's approval policy, the approvals it needs ({@code null}: no policy,
 *     and these three are left out of the JSON)
 * @param approvals under a policy, each approval counted: name and key fingerprint when verified,
 *     else "unverified (claimed identity ...)"
 * @param stillNeeded under a policy, while the gate has too few: who could still approve
 */
public record GateReport(
    String name,
    String before,
    String description,
    String state,
    Instant openedAt,
    Instant approvedAt,
    Duration waited,
    String by,
    String identity,
    String comment,
    String via,
    @JsonInclude(JsonInclude.Include.NON_NULL) Integer required,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> approvals,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> stillNeeded) {}
