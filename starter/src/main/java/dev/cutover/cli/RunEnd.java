package dev.cutover.cli;

import dev.cutover.cli.report.ReportText;
import dev.cutover.cli.report.TerminalText;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import java.time.Instant;

/**
 * How a migration's workflow ended, in one line, from its close event: what, when, by whom, why.
 */
final class RunEnd {
  /**
   * A reason is free text from whoever ended the run; the line stays readable whatever it holds.
   */
  static final int MAX_LENGTH = 400;

  private RunEnd() {}

  /**
   * "terminated 2026-12-06 19:34:50 UTC by alice@host (cutover cli): the reason", or what describe
   * alone knows.
   */
  static String describe(TemporalConnection temporal, DescribeWorkflowExecutionResponse described) {
    var info = described.getWorkflowExecutionInfo();
    String what = StatusCommand.executionName(info.getStatus());
    String at =
        info.hasCloseTime()
            ? " "
                + ReportText.time(
                    Instant.ofEpochSecond(
                        info.getCloseTime().getSeconds(), info.getCloseTime().getNanos()))
                + " UTC"
            : "";
    HistoryEvent close;
    try {
      var page =
          temporal
              .service()
              .blockingStub()
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(temporal.namespace)
                      .setExecution(info.getExecution())
                      .setHistoryEventFilterType(
                          HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
                      .build());
      if (page.getHistory().getEventsCount() == 0) {
        return what + at;
      }
      close = page.getHistory().getEvents(page.getHistory().getEventsCount() - 1);
    } catch (RuntimeException e) {
      return what + at;
    }
    String line = TerminalText.line(what + at + detail(close));
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
  }

  private static String detail(HistoryEvent close) {
    if (close.hasWorkflowExecutionTerminatedEventAttributes()) {
      var t = close.getWorkflowExecutionTerminatedEventAttributes();
      return (t.getIdentity().isEmpty() ? "" : " by " + t.getIdentity())
          + (t.getReason().isEmpty() ? "" : ": " + t.getReason());
    }
    if (close.hasWorkflowExecutionFailedEventAttributes()) {
      var f = close.getWorkflowExecutionFailedEventAttributes().getFailure();
      return f.getMessage().isEmpty() ? "" : ": " + f.getMessage();
    }
    if (close.hasWorkflowExecutionCanceledEventAttributes()) {
      return " (cancel requested)";
    }
    return "";
  }
}
