package dev.cutover.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Run an embedded Temporal server and the worker until Ctrl-C.",
      "The server is in memory and listens on 127.0.0.1 only; the worker polls it. Other cutover commands in another terminal reach it at the default address.",
      "Nothing is kept after it stops; for the Temporal web UI and a durable history use",
      "`temporal server start-dev` or docker compose (see README)."
    })
class DevCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "7233",
      description =
          "Loopback port for the Temporal frontend, 1-65535 and free (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    checkPort(spec, port);
    PrintWriter out = spec.commandLine().getOut();
    try (WorkerProcess worker =
        WorkerProcess.startEmbedded(port, WorkerProcess.printTo(out, "worker | "))) {
      out.printf(
          "%ncutover dev: Temporal on %s (namespace default), worker polling task queue cutover.%n",
          worker.address());
      out.println(
          "In another terminal:  ./cutover start examples/<plan>.yaml   then  ./cutover status <id> --watch");
      out.println("Ctrl-C stops both; the in-memory history goes with them.");
      out.flush();
      int code = worker.waitFor();
      throw new CliFailure(ExitCode.FAILED, "the worker exited with code " + code);
    }
  }

  /**
   * A port out of range is a usage error (exit 2); one that something already listens on is said at
   * once, before a worker JVM starts and waits in vain for a server that could not bind.
   */
  static void checkPort(CommandSpec spec, int port) {
    if (port < 1 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--port " + port + ": give a TCP port from 1 to 65535");
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new CliFailure(
          ExitCode.FAILED,
          "port "
              + port
              + " on 127.0.0.1 is in use (another `cutover dev` or Temporal server?): "
              + "stop it, or choose another with --port and pass the same --address to the other commands");
    }
  }
}
