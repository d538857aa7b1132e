package dev.cutover.workflow;

import dev.cutover.plan.PhaseName;
import dev.cutover.steps.dns.DnsRecordMemory;
import java.time.Instant;
import java.util.List;

/**
 * Everything a run must carry into its continued run, so status and undo survive continue-as-new.
 * Taken only between presync rounds and monitor checks, when no step is in flight.
 *
 * <p>{@code notes} holds the plain lines of checkpoints taken before notes were bounded; since then
 * it is empty and {@code noteLog} holds the bounded entries with their counts. {@code starter} is
 * who started the first run, as it established it (since verified approvals; {@code null} before).
 */
public record Checkpoint(
    PhaseName phase,
    int nextPresyncRound,
    int nextMonitorCheck,
    Instant monitorEndsAt,
    List<StepStatus> steps,
    List<GateStatus> gates,
    List<UndoEntry> undo,
    List<PresyncRound> presyncRounds,
    List<DecisionRecord> decisions,
    List<String> notes,
    Instant downtimeStartedAt,
    Instant downtimeEndedAt,
    boolean budgetExceeded,
    boolean pointOfNoReturnPassed,
    int continuedRuns,
    List<DnsRecordMemory> dns,
    List<Note> noteLog,
    long notesDropped,
    Starter starter) {

  public Checkpoint(
      PhaseName phase,
      int nextPresyncRound,
      int nextMonitorCheck,
      Instant monitorEndsAt,
      List<StepStatus> steps,
      List<GateStatus> gates,
      List<UndoEntry> undo,
      List<PresyncRound> presyncRounds,
      List<DecisionRecord> decisions,
      List<String> notes,
      Instant downtimeStartedAt,
      Instant downtimeEndedAt,
      boolean budgetExceeded,
      boolean pointOfNoReturnPassed,
      int continuedRuns,
      List<DnsRecordMemory> dns,
      List<Note> noteLog,
      long notesDropped) {
    this(
        phase,
        nextPresyncRound,
        nextMonitorCheck,
        monitorEndsAt,
        steps,
        gates,
        undo,
        presyncRounds,
        decisions,
        notes,
        downtimeStartedAt,
        downtimeEndedAt,
        budgetExceeded,
        pointOfNoReturnPassed,
        continuedRuns,
        dns,
        noteLog,
        notesDropped,
        null);
  }
}
