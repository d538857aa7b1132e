package dev.cutover.cli;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.run.RunActivitiesImpl;
import dev.cutover.worker.EmbeddedTemporal;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.MigrationResult;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.MigrationWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import picocli.CommandLine;

/**
 * The CLI's counterpart in tests: Temporal's in-memory server on 127.0.0.1 (the same {@link
 * EmbeddedTemporal} that {@code cutover dev} runs) and a plain SDK worker with the real workflow
 * and the real run activity, so a CLI command goes over gRPC exactly as in production.
 *
 * <p>Use with {@code @ExtendWith(CliTestServer.class)} and take a {@code CliTestServer} parameter.
 * One server and worker serve every test class of the run (they are closed when the run ends);
 * tests keep apart by giving each migration a unique name ({@link #uniqueName}).
 */
public final class CliTestServer implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(CliTestServer.class);

  /**
   * How long a test waits for a run to reach a state; generous, since only a broken run hits it.
   */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private Server server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server =
        context
            .getRoot()
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(Server.class, k -> Server.start(), Server.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == CliTestServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (server == null) {
      beforeAll(context);
    }
    return this;
  }

  /** host:port of the server, for {@code --address}. */
  String address() {
    return server.temporal.target();
  }

  WorkflowClient client() {
    return server.client;
  }

  /** Runs a command that talks to Temporal, pointed at this server. */
  CliRun connected(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--address");
    all.add(address());
    return CliRun.run(all.toArray(String[]::new));
  }

  /** A migration name no other test uses, since all tests share one server. */
  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Writes a plan file; {@code ${migration}} in the YAML becomes the migration name. */
  static Path writePlan(Path dir, String migration, String yaml) {
    try {
      Path file = dir.resolve(migration + ".yaml");
      Files.writeString(file, yaml.replace("${migration}", migration));
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  MigrationStatus status(String workflowId) {
    return server.client.newWorkflowStub(MigrationWorkflow.class, workflowId).status();
  }

  /** Polls query {@code status} until it matches: the run moves on its own worker threads. */
  MigrationStatus awaitStatus(String workflowId, Predicate<MigrationStatus> condition) {
    Instant deadline = Instant.now().plus(PATIENCE);
    MigrationStatus last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        last = status(workflowId);
        if (condition.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        // the run may not have its first workflow task done yet; ask again
      }
      sleep(100);
    }
    throw new AssertionError(
        "run " + workflowId + " did not reach the expected state; last status: " + last);
  }

  /** The run's result, once it ends. */
  MigrationResult awaitResult(String workflowId) {
    try {
      return server
          .client
          .newUntypedWorkflowStub(workflowId)
          .getResult(PATIENCE.toSeconds(), TimeUnit.SECONDS, MigrationResult.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(
          "run " + workflowId + " did not end; status: " + status(workflowId), e);
    } catch (io.temporal.client.WorkflowFailedException e) {
      // an aborted or held run fails with its result as the failure's details
      MigrationResult result = dev.cutover.workflow.MigrationResults.of(e);
      if (result == null) {
        throw e;
      }
      return result;
    }
  }

  WorkflowStub untyped(String workflowId) {
    return server.client.newUntypedWorkflowStub(workflowId);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What one CLI invocation printed and returned. */
  record CliRun(int exitCode, String out, String err) {
    static CliRun run(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = CutoverCli.newCommandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      return new CliRun(code, out.toString(), err.toString());
    }

    /** For assertion messages: what the command said when it surprises the test. */
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
    }
  }

  /** The server and worker; JUnit closes them when the whole test run ends. */
  static final class Server implements ExtensionContext.Store.CloseableResource {
    final EmbeddedTemporal temporal;
    final WorkflowServiceStubs service;
    final WorkflowClient client;
    final WorkerFactory factory;

    private Server(
        EmbeddedTemporal temporal,
        WorkflowServiceStubs service,
        WorkflowClient client,
        WorkerFactory factory) {
      this.temporal = temporal;
      this.service = service;
      this.client = client;
      this.factory = factory;
    }

    static Server start() {
      try {
        EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        WorkflowServiceStubs service =
            WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.target()).build());
        WorkflowClient client = WorkflowClient.newInstance(service);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(CutoverNames.TASK_QUEUE);
        worker.registerWorkflowImplementationTypes(
            MigrationWorkflowImpl.class, dev.cutover.fleet.FleetWorkflowImpl.class);
        worker.registerActivitiesImplementations(new RunActivitiesImpl(new SecretResolver()));
        factory.start();
        return new Server(temporal, service, client, factory);
      } catch (IOException e) {
        throw new IllegalStateException("cannot start the embedded Temporal server", e);
      }
    }

    @Override
    public void close() {
      factory.shutdownNow();
      factory.awaitTermination(10, TimeUnit.SECONDS);
      service.shutdownNow();
      temporal.close();
    }
  }
}
