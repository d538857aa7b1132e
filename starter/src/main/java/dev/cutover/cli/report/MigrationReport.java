package dev.cutover.cli.report;

import java.time.Instant;
import java.util.List;

/**
 * What a migration's Temporal history says happened, when, and who decided: the model every report
 * format renders. Built from the events only (see {@link ReportBuilder}); secrets never reach it,
 * since it keeps named fields and never a raw payload.
 *
 * @param workflowId the migration's workflow id
 * @param migration the plan's migration name
 * @param description the plan's description
 * @param outcome how it ended: completed, aborted, held, failed, terminated, timed out, canceled,
 *     or running while it runs
 * @param outcomeDetail why: the abort reason, the termination reason, the failure
 * @param startedAt when the first run started
 * @param endedAt when the last run ended; {@code null} while it runs
 * @param startedBy the identity Temporal recorded on the start
 * @param runs the runs of the workflow id, first to last (continue-as-new makes several)
 * @param phases phase spans in the order they ran
 * @param steps every step of the plan (and preflight), in plan order, with every execution
 * @param waits durable timers: TTL wait, rounds, wait steps, the downtime budget
 * @param gates every gate of the plan and when and by whom it was approved
 * @param actions every operator signal and update, accepted or ignored, in order
 * @param notifications the notifications the workflow sent on its own events, in order
 * @param downtime the downtime window as the workflow measured it; {@code null} without downtime
 * @param presyncRounds presync rounds with what rsync changed in each
 * @param monitorChecks how many monitor checks ran
 * @param children child workflows, if any
 * @param notes what the report could not tell, or what the reader should know
 */
public record MigrationReport(
    String workflowId,
    String migration,
    String description,
    String outcome,
    String outcomeDetail,
    Instant startedAt,
    Instant endedAt,
    String startedBy,
    List<ReportRun> runs,
    List<PhaseSpan> phases,
    List<StepReport> steps,
    List<WaitReport> waits,
    List<GateReport> gates,
    List<OperatorAction> actions,
    List<NotificationReport> notifications,
    DowntimeReport downtime,
    List<PresyncRoundReport> presyncRounds,
    int monitorChecks,
    List<ChildReport> children,
    List<String> notes) {}
