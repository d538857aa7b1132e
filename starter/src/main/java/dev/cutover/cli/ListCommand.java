package dev.cutover.cli;

import dev.cutover.cli.report.TerminalText;
import dev.cutover.fleet.FleetNames;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.GateApprover;
import dev.cutover.workflow.GateStatus;
import dev.cutover.workflow.MigrationStatus;
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
      "List running migrations and fleets with their phase and what they wait for.",
      "--waiting keeps only those waiting for a person (an open gate or a blocked step); for a gate",
      "under an approval policy it shows the approvals it has, whose, and who is still needed.",
      "Fleets are listed too (phase (fleet); type fleet in --json): waiting at a shared gate, or held",
      "on a member's failure."
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
      Instant started,
      GateStatus gate,
      String type) {
    Row(
        String workflowId,
        String migration,
        String status,
        String phase,
        String waitingFor,
        Instant started) {
      this(workflowId, migration, status, phase, waitingFor, started, null, MIGRATION_TYPE);
    }

    Row withGate(GateStatus g) {
      return new Row(workflowId, migration, status, phase, waitingFor, started, g, type);
    }

    Row ofType(String workflowType) {
      return new Row(
          workflowId,
          migration,
          status,
          phase,
          waitingFor,
          started,
          gate,
          FleetNames.WORKFLOW_TYPE.equals(workflowType) ? FLEET_TYPE : MIGRATION_TYPE);
    }

    boolean fleet() {
      return FLEET_TYPE.equals(type);
    }
  }

  @Override
  public Integer call() {
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      List<Row> rows = new ArrayList<>();
      try {
        String query =
            "(WorkflowType = 'Migration' OR WorkflowType = '"
                + FleetNames.WORKFLOW_TYPE
                + "')"
                + (all ? "" : " AND ExecutionStatus = 'Running'");
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
                                m.getTypedSearchAttributes()
                                    .get(CutoverSearchAttributes.WAITING_FOR),
                                m.getStartTime())
                            .ofType(m.getWorkflowType())));
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
              .map(r -> waiting ? withPolicyGate(temporal, r) : r)
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
            r.fleet() && r.phase() == null ? "(fleet)" : TerminalText.line(nz(r.phase())),
            TerminalText.line(nz(r.waitingFor())),
            r.started());
        if (r.gate() != null) {
          out.println("    " + TerminalText.line(approvalsLine(r.gate())));
        }
        if (r.fleet() && r.waitingFor() != null && r.waitingFor().startsWith(GATE_PREFIX)) {
          out.println(
              "    fleet: one approval for the wave: cutover fleet approve "
                  + TerminalText.line(r.workflowId())
                  + " "
                  + TerminalText.line(r.waitingFor().substring(GATE_PREFIX.length())));
        }
      }
      return ExitCode.OK;
    } catch (StatusRuntimeException e) {
      throw new CliFailure(
          ExitCode.FAILED, "cannot list migrations: " + TemporalConnection.rootMessage(e));
    }
  }

  /** The open gate the row waits at, when it has an approval policy (one status query). */
  private static Row withPolicyGate(TemporalConnection temporal, Row r) {
    if (r.fleet() || r.waitingFor() == null || !r.waitingFor().startsWith(GATE_PREFIX)) {
      return r;
    }
    String name = r.waitingFor().substring(GATE_PREFIX.length());
    try {
      MigrationStatus status =
          temporal.stub(r.workflowId()).query(CutoverNames.QUERY_STATUS, MigrationStatus.class);
      return status.gates().stream()
          .filter(g -> g.name().equals(name) && g.required() != null)
          .findFirst()
          .map(r::withGate)
          .orElse(r);
    } catch (RuntimeException unanswered) {
      // A run whose worker is away cannot say; the row still shows what it waits for.
      return r;
    }
  }

  private static final String GATE_PREFIX = "gate:";

  /** The rows' {@code type}: what the workflow id runs, so a script knows which commands fit. */
  static final String MIGRATION_TYPE = "migration";

  static final String FLEET_TYPE = "fleet";

  /** "gate go: 1 of 2 approvals (alice ...); still needed from bob, carol". */
  static String approvalsLine(GateStatus g) {
    StringBuilder b =
        new StringBuilder("gate ")
            .append(g.name())
            .append(": ")
            .append(g.approvals().size())
            .append(" of ")
            .append(g.required())
            .append(" approvals");
    if (!g.approvals().isEmpty()) {
      b.append(" (")
          .append(String.join(", ", g.approvals().stream().map(GateApprover::shown).toList()))
          .append(')');
    }
    if (g.stillNeeded() != null) {
      b.append("; still needed from ")
          .append(g.stillNeeded().isEmpty() ? "nobody listed" : String.join(", ", g.stillNeeded()));
    }
    return b.toString();
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
      if (!info.getType().getName().equals("Migration")
          && !info.getType().getName().equals(FleetNames.WORKFLOW_TYPE)) {
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
                      info.getStartTime().getSeconds(), info.getStartTime().getNanos()))
              .ofType(info.getType().getName()));
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
