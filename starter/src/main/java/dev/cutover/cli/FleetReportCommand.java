package dev.cutover.cli;

import dev.cutover.cli.report.FleetReport;
import dev.cutover.cli.report.FleetReportBuilder;
import dev.cutover.cli.report.FleetReportRenderer;
import dev.cutover.cli.report.NotAMigrationException;
import dev.cutover.cli.report.ReportFormat;
import dev.cutover.cli.report.ServerHistories;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Every service's downtime window and each wave's, from the histories.",
      "A service's window runs from its first downtime step to traffic on the new",
      "host, by its own history; a wave's from its first service down to its last",
      "one up. Beside them: the sum of the services' windows and the longest. Moved",
      "in parallel, a wave's window is close to the longest; one after another, to",
      "the sum.",
      "Reads histories only: works for running and ended fleets, without a worker.",
      "A service's steps, gates and decisions: cutover report cutover-MIGRATION."
    })
class FleetReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The fleet's name or workflow id.")
  String id;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text, md, html or json (default: ${DEFAULT-VALUE}). html is one self-contained file with a lane per service.")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() {
    ReportFormat chosen = ReportCommand.parseFormat(format);
    FleetReport report;
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      String workflowId = FleetRuns.workflowId(FleetRuns.find(temporal, id));
      ServerHistories server = new ServerHistories(temporal.service(), temporal.namespace);
      try {
        report =
            FleetReportBuilder.build(
                workflowId, server.chain(workflowId, null), FleetReportBuilder.fromServer(server));
      } catch (NotAMigrationException e) {
        throw new CliFailure(
            ExitCode.INVALID_INPUT,
            "workflow " + workflowId + " is not a cutover fleet: " + e.getMessage());
      } catch (StatusRuntimeException e) {
        throw new CliFailure(
            ExitCode.FAILED,
            "cannot read the histories of "
                + workflowId
                + " and its members: "
                + TemporalConnection.rootMessage(e));
      }
    }
    String text = FleetReportRenderer.render(chosen, report);
    return ReportCommand.write(spec, text, output, chosen, report.workflowId());
  }
}
