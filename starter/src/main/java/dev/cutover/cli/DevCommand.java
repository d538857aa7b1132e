package dev.cutover.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dev", mixinStandardHelpOptions = true,
    description = {"Run an embedded Temporal server and the worker until Ctrl-C.",
        "The server is in memory and listens on 127.0.0.1 only; the worker polls it. Other cutover commands in another terminal reach it at the default address.",
        "Nothing is kept after it stops; for the Temporal web UI and a durable history use",
        "`temporal server start-dev` or docker compose (see README)."})
class DevCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "7233", description = "Loopback port for the Temporal frontend (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    try (WorkerProcess worker = WorkerProcess.startEmbedded(port, WorkerProcess.printTo(out, "worker | "))) {
      out.printf("%ncutover dev: Temporal on %s (namespace default), worker polling task queue cutover.%n", worker.address());
      out.println("In another terminal:  ./cutover start examples/<plan>.yaml   then  ./cutover status <id> --watch");
      out.println("Ctrl-C stops both; the in-memory history goes with them.");
      out.flush();
      int code = worker.waitFor();
      throw new CliFailure(ExitCode.FAILED, "the worker exited with code " + code);
    }
  }
}
