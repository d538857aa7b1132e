package dev.cutover.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutover.cli.report.TerminalText;
import dev.cutover.plan.load.DurationText;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.GateState;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.SignalLimits;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowNotFoundException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show a migration's phase, steps, and what it waits for.",
      "The open gate or blocked step comes with the exact command or signal that moves it on.",
      "TRY (--json: attempts) counts every attempt Temporal made of a step, over the operator's retries too.",
      "With --watch: refresh until the migration ends, with the running step's progress (rsync, dump,",
      "replication lag) from its heartbeats; exit 0 when it completed, 1 when it was aborted, held,",
      "failed or terminated. Ctrl-C stops watching and leaves the migration alone.",
      "Without --watch: exit 0 when it could tell where the migration stands, also for one that ended",
      "(terminated, failed: a line says how, when, by whom, then the last status it recorded);",
      "1 when it could not (unknown id, no server, no worker to answer for a running migration)."
    })
class StatusCommand implements Callable<Integer> {
  /**
   * A worker answers the status query in well under a second; the SDK would retry a query no one
   * answers for a minute. Past this the operator is better told at once.
   */
  static final Duration QUERY_PATIENCE = Duration.ofSeconds(15);

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "Workflow id, e.g. cutover-shop-move.")
  String id;

  @Option(names = "--json", description = "Print the status as JSON.")
  boolean json;

  @Option(
      names = "--watch",
      description = "Refresh in place until the migration ends (Ctrl-C to stop watching).")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "2s",
      description =
          "Refresh interval for --watch, like 2s, 500ms or 1m (default: ${DEFAULT-VALUE}).")
  String interval;

  @Override
  public Integer call() throws InterruptedException {
    Duration every = parseInterval(interval);
    PrintWriter out = spec.commandLine().getOut();
    // Redrawing in place only makes sense on a terminal; a pipe or a log gets one block per
    // refresh.
    boolean inPlace = watch && !json && System.console() != null;
    Map<String, String> approvers = null;
    TemporalAttempts attempts = new TemporalAttempts();
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      for (int refresh = 0; ; refresh++) {
        Instant now = Instant.now();
        // Asked first, so a run that has ended says so instead of what it last waited for.
        DescribeWorkflowExecutionResponse described = describe(temporal, id);
        if (described
            .getWorkflowExecutionInfo()
            .getType()
            .getName()
            .equals(dev.cutover.fleet.FleetNames.WORKFLOW_TYPE)) {
          throw new CliFailure(
              ExitCode.INVALID_INPUT, id + " is a fleet: cutover fleet status " + id);
        }
        WorkflowExecutionStatus execution = described.getWorkflowExecutionInfo().getStatus();
        boolean closed = execution != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        MigrationStatus status = closed ? queryIfPossible(temporal, id) : query(temporal, id);
        String ended = closed ? RunEnd.describe(temporal, described) : null;
        History history = status == null ? null : attempts.history(temporal, id, described);
        status = attempts.overlay(id, status, history, described);
        if (inPlace) {
          out.print("\033[H\033[2J");
        } else if (watch && refresh > 0 && !json) {
          out.print("\n");
        }
        if (json) {
          out.print(Json.write(Json.withExecution(status, executionName(execution), ended)) + "\n");
        } else {
          if (ended != null) {
            out.print(
                TerminalText.block(
                    "This migration has ended: "
                        + ended
                        + ".\n"
                        + (status == null
                            ? "Its last status cannot be read"
                            : "Below is the last status it recorded")
                        + "; the whole story: cutover report "
                        + TerminalText.line(id)
                        + "\n"
                        + (status == null ? "" : "\n")));
          }
          if (status != null) {
            if (approvers == null
                && status.gates().stream()
                    .anyMatch(g -> g.state() == GateState.APPROVED && g.by() == null)) {
              approvers = signalApprovers(history);
            }
            out.print(
                StatusView.render(id, status, approvers == null ? Map.of() : approvers, !closed));
            if (watch) {
              out.print(StatusView.progress(status, described, now));
            }
          }
        }
        if (watch && !json) {
          out.print(StatusView.watchFooter(now, every, closed, execution));
        }
        out.flush();
        if (!watch) {
          return ExitCode.OK;
        }
        if ((status != null && status.state().isFinal()) || closed) {
          return exitCode(status, execution);
        }
        Thread.sleep(every.toMillis());
      }
    }
  }

  /** 0 when the migration completed; 1 when it ended any other way. */
  static int exitCode(MigrationStatus status, WorkflowExecutionStatus execution) {
    if (execution != null
        && execution != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
        && execution != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return ExitCode.FAILED;
    }
    return status != null && status.state() == MigrationState.COMPLETED
        ? ExitCode.OK
        : ExitCode.FAILED;
  }

  static Duration parseInterval(String text) {
    try {
      Duration d =
          text.matches("\\d+")
              ? Duration.ofSeconds(Long.parseLong(text))
              : DurationText.parse(text);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("must be positive");
      }
      return d.compareTo(Duration.ofMillis(200)) < 0 ? Duration.ofMillis(200) : d;
    } catch (RuntimeException e) {
      throw new CliFailure(
          ExitCode.INVALID_INPUT, "--interval " + text + ": give a duration like 2s, 500ms or 1m");
    }
  }

  /**
   * Gate by gate, the identity Temporal recorded on the last approve signal naming it, for
   * approvals whose payload named nobody (the Temporal UI sends none). Read from this run's
   * history; an approval in an earlier run of a continued migration shows "by signal", and so does
   * every approval when the history could not be read ({@code null}).
   */
  static Map<String, String> signalApprovers(History history) {
    Map<String, String> who = new HashMap<>();
    if (history == null) {
      return who;
    }
    try {
      for (HistoryEvent e : history.getEventsList()) {
        if (e.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
          continue;
        }
        var a = e.getWorkflowExecutionSignaledEventAttributes();
        if (!CutoverNames.SIGNAL_APPROVE.equals(a.getSignalName())
            || a.getIdentity().isEmpty()
            || a.getInput().getPayloadsCount() == 0) {
          continue;
        }
        JsonNode gate =
            Json.MAPPER.readTree(a.getInput().getPayloads(0).getData().toByteArray()).path("gate");
        if (gate.isTextual() && gate.asText().length() <= SignalLimits.MAX_NAME_CHARS) {
          who.put(gate.asText(), a.getIdentity());
        }
      }
    } catch (java.io.IOException | RuntimeException unreadable) {
      // the status itself is what matters; without the history it says "by signal"
    }
    return who;
  }

  static DescribeWorkflowExecutionResponse describe(TemporalConnection temporal, String id) {
    try {
      return temporal
          .service()
          .blockingStub()
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(temporal.namespace)
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                  .build());
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        throw new CliFailure(
            ExitCode.FAILED, "no migration with id " + id + " in namespace " + temporal.namespace);
      }
      throw new CliFailure(
          ExitCode.FAILED, "cannot describe " + id + ": " + TemporalConnection.rootMessage(e));
    }
  }

  /**
   * A run that was terminated or failed may not answer queries; what describe said is then enough.
   */
  private static MigrationStatus queryIfPossible(TemporalConnection temporal, String id) {
    try {
      return query(temporal, id);
    } catch (CliFailure e) {
      return null;
    }
  }

  static MigrationStatus query(TemporalConnection temporal, String id) {
    try {
      return TemporalConnection.answerWithin(
          QUERY_PATIENCE,
          () -> temporal.stub(id).query(CutoverNames.QUERY_STATUS, MigrationStatus.class));
    } catch (TimeoutException e) {
      throw new CliFailure(
          ExitCode.FAILED,
          "cannot read the status of "
              + id
              + ": no answer within "
              + QUERY_PATIENCE.toSeconds()
              + "s (is a cutover worker running? are the run's workflow tasks failing? see the Temporal UI)");
    } catch (WorkflowNotFoundException e) {
      throw new CliFailure(
          ExitCode.FAILED, "no migration with id " + id + " in namespace " + temporal.namespace);
    } catch (RuntimeException e) {
      // A query the worker failed (its message may carry the worker's stack trace), one it could
      // not
      // answer in time, a status too large to send: one line, never the trace.
      throw new CliFailure(
          ExitCode.FAILED,
          "cannot read the status of "
              + id
              + ": "
              + TemporalConnection.rootMessage(e)
              + " (is a cutover worker running?)");
    }
  }

  static String executionName(WorkflowExecutionStatus status) {
    return status
        .name()
        .replace("WORKFLOW_EXECUTION_STATUS_", "")
        .toLowerCase(Locale.ROOT)
        .replace('_', ' ');
  }
}
