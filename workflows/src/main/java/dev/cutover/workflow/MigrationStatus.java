package dev.cutover.workflow;

import dev.cutover.steps.dns.DnsRecordMemory;
import java.time.Instant;
import java.util.List;

/**
 * The answer to query {@code status}: where the run is, what it waits for, and the exact thing to
 * send to move it on.
 *
 * @param startedBy who started the run, verified or not ({@code null}: runs before verified
 *     approvals, and runs of plans without approvers whose start was not signed)
 */
public record MigrationStatus(
    String migration,
    MigrationState state,
    String phase,
    String currentStep,
    String waitingFor,
    String nextAction,
    Instant waitingUntil,
    List<StepStatus> steps,
    List<GateStatus> gates,
    DowntimeStatus downtime,
    List<PresyncRound> presyncRounds,
    int monitorChecks,
    int continuedRuns,
    List<DecisionRecord> decisions,
    List<String> notes,
    String abortReason,
    boolean pointOfNoReturnPassed,
    List<DnsRecordMemory> dns,
    Starter startedBy) {

  public MigrationStatus(
      String migration,
      MigrationState state,
      String phase,
      String currentStep,
      String waitingFor,
      String nextAction,
      Instant waitingUntil,
      List<StepStatus> steps,
      List<GateStatus> gates,
      DowntimeStatus downtime,
      List<PresyncRound> presyncRounds,
      int monitorChecks,
      int continuedRuns,
      List<DecisionRecord> decisions,
      List<String> notes,
      String abortReason,
      boolean pointOfNoReturnPassed,
      List<DnsRecordMemory> dns) {
    this(
        migration,
        state,
        phase,
        currentStep,
        waitingFor,
        nextAction,
        waitingUntil,
        steps,
        gates,
        downtime,
        presyncRounds,
        monitorChecks,
        continuedRuns,
        decisions,
        notes,
        abortReason,
        pointOfNoReturnPassed,
        dns,
        null);
  }
}
