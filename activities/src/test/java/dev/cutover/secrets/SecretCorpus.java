package dev.cutover.secrets;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.preflight.PreflightActivitiesImpl;
import dev.cutover.steps.http.HttpCheckActivitiesImpl;
import dev.cutover.steps.postgres.PgSessions;
import dev.cutover.steps.put.PutActivitiesImpl;
import dev.cutover.steps.run.RunActivitiesImpl;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationResult;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.MigrationWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * A migration whose steps print the plan's secrets every way issue 15 found them slipping out (and
 * more), run for real on the local host through the worker's masking. Shared with the starter's
 * tests, which render the status and every report format from the same run.
 *
 * <ul>
 *   <li>a check server echoing a secret header JSON-escaped ({@code tok\/Xy9...}), and failing with
 *       it URL-encoded in the body (the failure message quotes the body);
 *   <li>a {@code file:} secret saved with CRLF, printed from the file and with CRLF line ends;
 *   <li>a secret across the cut of a line over 4,000 characters, and at the end of a longer one;
 *   <li>dash's {@code echo} of a secret holding backslash escapes;
 *   <li>a later step that prints (and base64-encodes) a file a {@code put} wrote from a secret;
 *   <li>JSON-escaped, URL-encoded, hex and base64 at all three alignments;
 *   <li>a secret split across two writes (two reads of the output);
 *   <li>a failing step whose error (output tail) holds the secret on stderr;
 *   <li>a FIFO as a secret no step uses: every activity resolves the plan's secrets, none may
 *       block.
 * </ul>
 */
public final class SecretCorpus {
  public static final String MIGRATION = "secret-corpus";
  public static final String TOKEN = "tok/Xy9+Qr7=Secr3t-Vw2";
  public static final String FILE_SECRET = "fileS3cret-8Qw2zR";

  /** Holds a literal backslash-n and backslash-t: dash's echo prints a newline and a tab. */
  public static final String BACKSLASHED = "Kq7Wz\\n9Lp-Rt4\\tEnd5";

  public static final String PUT_CONTENT = "putC0ntent-Zx81Lm";

  /** What the run left behind, for scanning. */
  public record Outcome(
      MigrationResult result,
      MigrationStatus status,
      WorkflowExecutionHistory history,
      String workerLog) {}

  private SecretCorpus() {}

  /** Every secret of the corpus. */
  public static List<String> values() {
    return List.of(TOKEN, FILE_SECRET, BACKSLASHED, PUT_CONTENT);
  }

  /**
   * Every form of every secret a scan looks for: all the forms {@link SecretMask} masks, but the
   * short lines of the backslashed one, which would match unrelated text.
   */
  public static List<String> needles() {
    return SecretMask.of(values()).forms().stream().filter(f -> f.length() >= 5).toList();
  }

  /** The needles found in {@code text}, each with a little context; empty when none. */
  public static List<String> hits(String text) {
    List<String> found = new ArrayList<>();
    for (String needle : needles()) {
      int at = text.indexOf(needle);
      if (at >= 0) {
        found.add(
            needle
                + " in ..."
                + text.substring(
                    Math.max(0, at - 60), Math.min(text.length(), at + needle.length() + 20))
                + "...");
      }
    }
    return found;
  }

  public static Outcome run(Path dir) throws Exception {
    Path fileSecret = dir.resolve("file-secret");
    Files.write(fileSecret, (FILE_SECRET + "\r\n").getBytes(StandardCharsets.UTF_8));
    Path fifo = dir.resolve("fifo-secret");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    Path written = dir.resolve("written.conf");
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/echo",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          respond(
              exchange,
              200,
              "{\"auth\":\""
                  + SecretMask.json(auth == null ? "" : auth, true, false)
                  + "\",\"ok\":true}");
        });
    server.createContext(
        "/fail",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          respond(
              exchange,
              500,
              "denied: "
                  + java.net.URLEncoder.encode(auth == null ? "" : auth, StandardCharsets.UTF_8)
                  + " / "
                  + SecretMask.json(auth == null ? "" : auth, true, false));
        });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    String planText =
        """
        migration: secret-corpus
        hosts: {old: {transport: local}}
        secrets:
          api-token: env:CORPUS_API_TOKEN
          file-secret: file:@DIR@/file-secret
          backslashed: env:CORPUS_BACKSLASHED
          put-content: env:CORPUS_PUT_CONTENT
          unused-fifo: file:@DIR@/fifo-secret
        phases:
          prepare:
            steps:
              - name: encodings
                kind: run
                host: old
                secretEnv: {T: api-token}
                command: |
                  echo "raw $T"
                  printf '{"t":"%s"}\\n' "$T" | sed 's#/#\\\\/#g'
                  printf '%s' "$T" | od -An -tx1 | tr -d ' \\n'; echo
                  printf '%s' "$T" | base64 -w0; echo
                  printf 'x%s' "$T" | base64 -w0; echo
                  printf 'xy%s' "$T" | base64 -w0; echo
                  printf '%s' "$T" | sed 's#%#%25#g; s#/#%2F#g; s#+#%2B#g; s#=#%3D#g'; echo
                  printf 'crlf %s\\r\\n' "$T"
                  printf 'split %s' "$T" | head -c 11; sleep 0.3; printf '%s' "$T" | tail -c +6; echo
              - name: long-lines
                kind: run
                host: old
                secretEnv: {T: api-token}
                command: |
                  head -c 6000 /dev/zero | tr '\\0' b; printf '%s\\n' "$T"
                  printf 'long %s' "$T"; head -c 3990 /dev/zero | tr '\\0' a; echo
              - name: file-secret
                kind: run
                host: old
                secretEnv: {F: file-secret}
                command: cat '@DIR@/file-secret'; printf 'line end %s\\r\\n' "$F"
              - name: dash-echo
                kind: run
                host: old
                secretEnv: {B: backslashed}
                command: echo "$B"; echo "one line $B"
              - name: put-it
                kind: put
                host: old
                path: @DIR@/written.conf
                contentSecret: put-content
              - name: read-it
                kind: run
                host: old
                command: cat '@DIR@/written.conf'; echo; base64 '@DIR@/written.conf'; cat '@DIR@/file-secret' | base64
              - name: echo-check
                kind: http
                url: @BASE@/echo
                secretHeaders: {Authorization: api-token}
                expectBody: '"ok"'
              - name: failing-check
                kind: http
                url: @BASE@/fail
                secretHeaders: {Authorization: api-token}
                retry: {maxAttempts: 1}
                onFailure: continue
              - name: failing-run
                kind: run
                host: old
                command: cat '@DIR@/written.conf' >&2; exit 3
                retry: {maxAttempts: 1}
                onFailure: continue
        """
            .replace("@DIR@", dir.toString())
            .replace("@BASE@", base);
    var plan = PlanLoader.parse("secret-corpus.yaml", planText);
    SecretResolver resolver =
        new SecretResolver(
            Map.of(
                "CORPUS_API_TOKEN",
                TOKEN,
                "CORPUS_BACKSLASHED",
                BACKSLASHED,
                "CORPUS_PUT_CONTENT",
                PUT_CONTENT));
    HostShells shells = new HostShells(new NoSshTransport(), Set.of());

    LoggerContext logs = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(logs);
    appender.start();
    root.addAppender(appender);
    // As the worker's application.yml pins them: HttpClient logs headers and bodies below INFO.
    for (String wire :
        List.of("org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire")) {
      logs.getLogger(wire).setLevel(ch.qos.logback.classic.Level.INFO);
    }
    TestEnvironmentOptions options =
        TestEnvironmentOptions.newBuilder()
            .setWorkerFactoryOptions(
                WorkerFactoryOptions.newBuilder()
                    .setWorkerInterceptors(new SecretMaskingInterceptor(resolver))
                    .build())
            .build();
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(options)) {
      CutoverSearchAttributes.ALL.forEach(
          k ->
              env.registerSearchAttribute(
                  k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
      Worker worker = env.newWorker(CutoverNames.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(MigrationWorkflowImpl.class);
      worker.registerActivitiesImplementations(
          new RunActivitiesImpl(resolver, shells),
          new PutActivitiesImpl(shells, resolver),
          new HttpCheckActivitiesImpl(resolver),
          new PreflightActivitiesImpl(shells, new PgSessions(shells, resolver), resolver));
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      MigrationWorkflow workflow =
          client.newWorkflowStub(
              MigrationWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(MIGRATION)
                  .setTaskQueue(CutoverNames.TASK_QUEUE)
                  .build());
      MigrationResult result = workflow.run(MigrationInput.of(plan));
      MigrationStatus status = client.newWorkflowStub(MigrationWorkflow.class, MIGRATION).status();
      WorkflowExecutionHistory history = client.fetchHistory(MIGRATION);
      return new Outcome(result, status, history, logText(appender.list));
    } finally {
      root.detachAppender(appender);
      server.stop(0);
    }
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws java.io.IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /**
   * Every logged message with its exceptions' class names and messages, as a log line would show
   * them.
   */
  private static String logText(List<ILoggingEvent> events) {
    StringBuilder text = new StringBuilder();
    for (ILoggingEvent e : List.copyOf(events)) {
      text.append(e.getLevel())
          .append(' ')
          .append(e.getLoggerName())
          .append(": ")
          .append(e.getFormattedMessage())
          .append('\n');
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        text.append("  caused by ")
            .append(t.getClassName())
            .append(": ")
            .append(t.getMessage())
            .append('\n');
      }
    }
    return text.toString();
  }
}
