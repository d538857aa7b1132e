package dev.cutover.workflow;

import dev.cutover.steps.dns.DnsRecordMemory;
import java.time.Instant;
import java.util.List;

/**
 * The answer to query {@code status}: where the run is, what it waits for, and the exact thing to
 * send to move it on.
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
    List<DnsRecordMemory> dns) {}
