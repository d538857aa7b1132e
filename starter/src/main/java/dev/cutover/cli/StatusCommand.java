package dev.cutover.cli;

import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.MigrationStatus;
import io.temporal.client.WorkflowNotFoundException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show a migration's phase, steps, and what it waits for.",
        "The open gate or blocked step comes with the exact command or signal that moves it on."})
class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "Workflow id, e.g. cutover-shop-move.")
  String id;

  @Option(names = "--json", description = "Print the status as JSON.")
  boolean json;

  @Option(names = "--watch", description = "Refresh in place until the migration ends (Ctrl-C to stop watching).")
  boolean watch;

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2", description = "Refresh interval for --watch (default: ${DEFAULT-VALUE}).")
  int interval;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      while (true) {
        MigrationStatus status = query(temporal, id);
        if (watch && !json) {
          out.print("\033[H\033[2J");
        }
        out.print(json ? Json.write(status) + "\n" : StatusView.render(id, status));
        out.flush();
        if (!watch || status.state().isFinal()) {
          return ExitCode.OK;
        }
        Thread.sleep(interval * 1000L);
      }
    }
  }

  static MigrationStatus query(TemporalConnection temporal, String id) {
    try {
      return temporal.stub(id).query(CutoverNames.QUERY_STATUS, MigrationStatus.class);
    } catch (WorkflowNotFoundException e) {
      throw new CliFailure(ExitCode.FAILED, "no migration with id " + id + " in namespace " + temporal.namespace);
    } catch (io.temporal.client.WorkflowServiceException e) {
      throw new CliFailure(ExitCode.FAILED, "cannot read the status of " + id + ": " + TemporalConnection.rootMessage(e)
          + " (is a cutover worker running?)");
    }
  }
}
