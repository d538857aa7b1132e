package dev.cutover.cli;

import dev.cutover.cli.report.TerminalText;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A client for one command's life; the identity says who acted, and Temporal records it on each
 * event.
 */
final class TemporalConnection implements AutoCloseable {
  /** Long enough for a loaded server, short enough that a wrong address fails fast. */
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A cause chain longer than this is a loop or a framework's wrapping; the message is near the
   * top.
   */
  private static final int MAX_CAUSES = 20;

  /** An error line a person reads at once; a server's message can be a whole document. */
  private static final int MAX_MESSAGE = 500;

  private final WorkflowServiceStubs service;
  final WorkflowClient client;
  final String namespace;
  final String address;

  TemporalConnection(ConnectionOptions options) {
    this(options.address(), options.namespace());
  }

  TemporalConnection(String address, String namespace) {
    this.address = address;
    this.namespace = namespace;
    this.service =
        WorkflowServiceStubs.newConnectedServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(address)
                .setRpcTimeout(RPC_TIMEOUT)
                .build(),
            RPC_TIMEOUT);
    this.client =
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setNamespace(namespace)
                .setIdentity(identity())
                .build());
  }

  static TemporalConnection open(ConnectionOptions options) {
    try {
      return new TemporalConnection(options);
    } catch (RuntimeException e) {
      throw new CliFailure(
          ExitCode.FAILED,
          "cannot reach Temporal at "
              + options.address()
              + " (namespace "
              + options.namespace()
              + "): "
              + rootMessage(e)
              + ". Start one with `cutover dev`, or pass --address.");
    }
  }

  WorkflowServiceStubs service() {
    return service;
  }

  WorkflowStub stub(String workflowId) {
    return client.newUntypedWorkflowStub(workflowId);
  }

  /** user@host: the approver as Temporal records it on the signal or update event. */
  static String identity() {
    String user = System.getProperty("user.name", "unknown");
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown-host";
    }
    return user + "@" + host + " (cutover cli)";
  }

  /**
   * The innermost cause's message as one line: a query the worker failed carries the worker's stack
   * trace in its message, and a person needs its first line, not the trace.
   */
  static String rootMessage(Throwable e) {
    Throwable t = e;
    int depth = 0;
    while (t.getCause() != null && t.getCause() != t && depth++ < MAX_CAUSES) {
      t = t.getCause();
    }
    String message;
    if (t instanceof StatusRuntimeException s) {
      Status status = s.getStatus();
      message =
          status.getCode()
              + (status.getDescription() == null ? "" : ": " + status.getDescription());
    } else {
      message =
          t.getMessage() == null || t.getMessage().isBlank()
              ? t.getClass().getSimpleName()
              : t.getMessage();
    }
    return firstLine(message);
  }

  /** The first non-blank line, escaped for a terminal and cut to a readable length. */
  static String firstLine(String message) {
    String first = message.strip().lines().findFirst().orElse("").strip();
    String line = TerminalText.line(first);
    return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE - 1) + "…";
  }

  /**
   * Runs a call the SDK may retry for a minute or wait on without end (a query or an update a
   * wedged run never answers) on a daemon thread, and gives up after {@code patience}; the call's
   * exception comes out as it is.
   */
  static <T> T answerWithin(Duration patience, Supplier<T> call) throws TimeoutException {
    FutureTask<T> task = new FutureTask<>(call::get);
    Thread thread = new Thread(task, "cutover-call");
    thread.setDaemon(true);
    thread.start();
    try {
      return task.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      task.cancel(true);
      throw new CliFailure(ExitCode.FAILED, "interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      task.cancel(true);
      throw e;
    }
  }

  @Override
  public void close() {
    service.shutdownNow();
  }
}
