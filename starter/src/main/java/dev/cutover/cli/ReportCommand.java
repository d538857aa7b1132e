package dev.cutover.cli;

import dev.cutover.cli.report.HistoryFiles;
import dev.cutover.cli.report.MigrationReport;
import dev.cutover.cli.report.NotAMigrationException;
import dev.cutover.cli.report.ReportBuilder;
import dev.cutover.cli.report.ReportFormat;
import dev.cutover.cli.report.ServerHistories;
import dev.cutover.workflow.CutoverNames;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.history.v1.History;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
      "A migration's report from its Temporal history: what happened, when, who decided.",
      "Phases and steps on a timeline, every failed attempt with its error and output,",
      "every gate with who approved it and how long it waited, every operator decision",
      "and ignored signal, the downtime as the workflow measured it, presync rounds.",
      "Works for running and ended migrations, across continued runs. Without a server:",
      "  temporal workflow show -w ID --output json > h.json",
      "  cutover report --history h.json [--format html -o report.html]"
    })
class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(
      paramLabel = "ID",
      arity = "0..1",
      description =
          "Workflow id, e.g. cutover-shop-move (or the migration's name). Optional with --history.")
  String id;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text, md, html or json (default: ${DEFAULT-VALUE}). html is one self-contained file with a Gantt chart.")
  String format;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  Path output;

  @Option(
      names = "--history",
      paramLabel = "FILE",
      arity = "1..*",
      description =
          "Read the history from JSON exports instead of the server: one file, or one per run of a continued chain.")
  List<Path> historyFiles;

  @Option(
      names = "--run-id",
      paramLabel = "RUN",
      description = "Report the chain ending in this run instead of the latest run.")
  String runId;

  @Override
  public Integer call() {
    ReportFormat chosen = parseFormat(format);
    MigrationReport report =
        historyFiles != null && !historyFiles.isEmpty() ? fromFiles() : fromServer();
    String text = chosen.render(report);
    return write(spec, text, output, chosen, report.workflowId());
  }

  /**
   * Prints a rendered report, or writes it to {@code output} (its folder made) and says where: how
   * every report command ends.
   */
  static int write(
      CommandSpec spec, String text, Path output, ReportFormat chosen, String workflowId) {
    if (output == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
      return ExitCode.OK;
    }
    try {
      if (output.toAbsolutePath().getParent() != null) {
        Files.createDirectories(output.toAbsolutePath().getParent());
      }
      Files.writeString(output, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliFailure(
          ExitCode.FAILED, "cannot write the report to " + output + ": " + e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .printf(
            "wrote the %s report of %s to %s%n",
            chosen.name().toLowerCase(Locale.ROOT), workflowId, output);
    return ExitCode.OK;
  }

  private MigrationReport fromFiles() {
    List<History> runs;
    try {
      runs = HistoryFiles.read(historyFiles);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(ExitCode.INVALID_INPUT, e.getMessage());
    }
    try {
      return ReportBuilder.build(id == null ? "" : id, runs, null);
    } catch (NotAMigrationException e) {
      throw new CliFailure(
          ExitCode.INVALID_INPUT,
          "history "
              + String.join(", ", historyFiles.stream().map(Path::toString).toList())
              + " is not a cutover run: "
              + e.getMessage());
    }
  }

  private MigrationReport fromServer() {
    if (id == null) {
      throw new CliFailure(
          ExitCode.INVALID_INPUT,
          "name the migration: cutover report ID, or read an export with --history FILE");
    }
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      ServerHistories server = new ServerHistories(temporal.service(), temporal.namespace);
      // Operators know a migration by its name; cutover starts it as cutover-NAME unless told
      // otherwise.
      List<String> candidates =
          id.startsWith("cutover-") ? List.of(id) : List.of(id, CutoverNames.workflowId(id));
      for (String workflowId : candidates) {
        try {
          return ReportBuilder.build(workflowId, server.chain(workflowId, runId), server);
        } catch (NotAMigrationException e) {
          throw new CliFailure(
              ExitCode.INVALID_INPUT,
              "workflow " + workflowId + " is not a cutover run: " + e.getMessage());
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
            throw new CliFailure(
                ExitCode.FAILED,
                "cannot read the history of "
                    + workflowId
                    + ": "
                    + TemporalConnection.rootMessage(e));
          }
        }
      }
      throw new CliFailure(
          ExitCode.FAILED,
          "no migration with id "
              + String.join(" or ", candidates)
              + (runId == null ? "" : " and run " + runId)
              + " in namespace "
              + temporal.namespace);
    }
  }

  static ReportFormat parseFormat(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "text", "txt" -> ReportFormat.TEXT;
      case "md", "markdown" -> ReportFormat.MD;
      case "html" -> ReportFormat.HTML;
      case "json" -> ReportFormat.JSON;
      default ->
          throw new CliFailure(
              ExitCode.INVALID_INPUT,
              "unknown report format '" + text + "': use text, md, html or json");
    };
  }
}
