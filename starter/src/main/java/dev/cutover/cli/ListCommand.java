package dev.cutover.cli;

import dev.cutover.cli.report.TerminalText;
import dev.cutover.workflow.CutoverSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List running migrations with their phase and what they wait for.",
      "--waiting keeps only those waiting for a person (an open gate or a blocked step)."
    })
class ListCommand implements Callable<Integer> {
  /** Enough for any real team's migrations; bounds the output when a namespace holds thousands. */
  private static final int MAX_ROWS = 1000;

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--waiting",
      description = "Only migrations waiting for an approval or a decision.")
  boolean waiting;

  @Option(names = "--all", description = "Include migrations that have ended.")
  boolean all;

  @Option(names = "--json", description = "Print the list as JSON.")
  boolean json;

  record Row(
      String workflowId,
      String migration,
      String status,
      String phase,
      String waitingFor,
      Instant started) {}

  @Override
  public Integer call() {
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      List<Row> rows = new ArrayList<>();
      try {
        String query =
            "WorkflowType = 'Migration'" + (all ? "" : " AND ExecutionStatus = 'Running'");
        temporal
            .client
            .listExecutions(query)
            .limit(MAX_ROWS)
            .forEach(
                m ->
                    rows.add(
                        new Row(
                            m.getExecution().getWorkflowId(),
                            m.getTypedSearchAttributes().get(CutoverSearchAttributes.MIGRATION),
                            m.getStatus()
                                .name()
                                .replace("WORKFLOW_EXECUTION_STATUS_", "")
                                .toLowerCase(),
                            m.getTypedSearchAttributes().get(CutoverSearchAttributes.PHASE),
                            m.getTypedSearchAttributes().get(CutoverSearchAttributes.WAITING_FOR),
                            m.getStartTime())));
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
          throw e;
        }
        // The embedded (in-memory) server has only the old visibility API: open runs, attributes
        // unindexed.
        rows.addAll(listOpen(temporal));
      }
      List<Row> shown =
          rows.stream()
              .filter(r -> !waiting || (r.waitingFor() != null && !r.waitingFor().isEmpty()))
              .toList();
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.write(shown));
        return ExitCode.OK;
      }
      if (shown.isEmpty()) {
        out.println(waiting ? "no migration is waiting for a person" : "no migration found");
        return ExitCode.OK;
      }
      out.printf("%-36s %-10s %-12s %-28s %s%n", "ID", "STATUS", "PHASE", "WAITING FOR", "STARTED");
      for (Row r : shown) {
        out.printf(
            "%-36s %-10s %-12s %-28s %s%n",
            TerminalText.line(r.workflowId()),
            r.status(),
            TerminalText.line(nz(r.phase())),
            TerminalText.line(nz(r.waitingFor())),
            r.started());
      }
      return ExitCode.OK;
    } catch (StatusRuntimeException e) {
      throw new CliFailure(
          ExitCode.FAILED, "cannot list migrations: " + TemporalConnection.rootMessage(e));
    }
  }

  private static List<Row> listOpen(TemporalConnection temporal) {
    List<Row> rows = new ArrayList<>();
    var response =
        temporal
            .service()
            .blockingStub()
            .listOpenWorkflowExecutions(
                ListOpenWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(temporal.namespace)
                    .setMaximumPageSize(MAX_ROWS)
                    .build());
    for (WorkflowExecutionInfo info : response.getExecutionsList()) {
      if (!info.getType().getName().equals("Migration")) {
        continue;
      }
      // This API leaves the search attributes out; describing the run has them.
      var attrs =
          temporal
              .service()
              .blockingStub()
              .describeWorkflowExecution(
                  io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(temporal.namespace)
                      .setExecution(info.getExecution())
                      .build())
              .getWorkflowExecutionInfo()
              .getSearchAttributes()
              .getIndexedFieldsMap();
      rows.add(
          new Row(
              info.getExecution().getWorkflowId(),
              keyword(attrs.get(CutoverSearchAttributes.MIGRATION.getName())),
              "running",
              keyword(attrs.get(CutoverSearchAttributes.PHASE.getName())),
              keyword(attrs.get(CutoverSearchAttributes.WAITING_FOR.getName())),
              Instant.ofEpochSecond(
                  info.getStartTime().getSeconds(), info.getStartTime().getNanos())));
    }
    return rows;
  }

  private static String keyword(Payload payload) {
    if (payload == null) {
      return null;
    }
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }

  private static String nz(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
