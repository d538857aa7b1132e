package dev.cutover.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.DnsProvider;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.preflight.PreflightActivitiesImpl;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.dns.DnsActivitiesImpl;
import dev.cutover.steps.dns.DnsReadRequest;
import dev.cutover.steps.dns.DnsRecordState;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsTarget;
import dev.cutover.steps.http.HttpCheckActivitiesImpl;
import dev.cutover.steps.proxy.ProxySwitchActivitiesImpl;
import dev.cutover.testing.BindTestServer;
import dev.cutover.testing.NginxTestServer;
import dev.cutover.testing.RealTools;
import dev.cutover.workflow.AbortRequest;
import dev.cutover.workflow.CutoverNames;
import dev.cutover.workflow.CutoverSearchAttributes;
import dev.cutover.workflow.MigrationInput;
import dev.cutover.workflow.MigrationResult;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.MigrationWorkflow;
import dev.cutover.workflow.MigrationWorkflowImpl;
import dev.cutover.workflow.StepState;
import dev.cutover.workflow.StepStatus;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traffic step kinds end to end in the workflow, on real servers: BIND (a primary and a
 * secondary) for the zone, and two real nginx masters standing for the old and the new host. Time
 * skips over the TTL waits; every DNS, nginx and HTTP action is real. (Retries skip ahead too, so
 * no step here waits on nginx's reload, which finishes in real time after the step:
 * e2e/traffic-move.sh checks old's proxying from the workflow, in real time.)
 */
@RealTools
class TrafficOnRealServersTest {
  static final String WORKFLOW_ID = "cutover-traffic";

  /** The record's TTL before the migration: the wait after lowering it must be at least this. */
  static final Duration ORIGINAL_TTL = Duration.ofHours(1);

  @TempDir Path dir;
  BindTestServer bind;
  NginxTestServer oldNginx;
  NginxTestServer newNginx;
  int oldPort;
  int newPort;
  Path site;
  TestWorkflowEnvironment env;
  WorkflowClient client;

  @BeforeEach
  void startServers() throws IOException {
    bind =
        BindTestServer.start(List.of("www " + ORIGINAL_TTL.toSeconds() + " IN A 192.0.2.10"), true);
    Files.writeString(dir.resolve("tsig"), bind.updateSecret());
    oldNginx = NginxTestServer.start("old");
    newNginx = NginxTestServer.start("new");
    oldPort = NginxTestServer.freePort();
    newPort = NginxTestServer.freePort();
    site =
        oldNginx.enableSite(
            "app",
            "server { listen 127.0.0.1:"
                + oldPort
                + "; server_name www.cutover.test; return 200 \"old\\n\"; }\n");
    oldNginx.reload();
    newNginx.enableSite(
        "app",
        "server { listen 127.0.0.1:"
            + newPort
            + "; location / { return 200 \"new host=$host\\n\"; } }\n");
    newNginx.reload();

    env = TestWorkflowEnvironment.newInstance();
    CutoverSearchAttributes.ALL.forEach(
        k -> env.registerSearchAttribute(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker worker = env.newWorker(CutoverNames.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(MigrationWorkflowImpl.class);
    SecretResolver secrets = new SecretResolver();
    HostShells shells = new HostShells(new NoSshTransport(), Set.of());
    worker.registerActivitiesImplementations(
        new DnsActivitiesImpl(secrets, shells),
        new ProxySwitchActivitiesImpl(shells),
        new HttpCheckActivitiesImpl(secrets),
        new PreflightActivitiesImpl(shells, null, secrets));
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void stopServers() {
    if (env != null) {
      env.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {oldNginx, newNginx, bind}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // the next one must still stop
      }
    }
  }

  @Test
  void ttlLoweredWaitedOutRecordFlippedOnEveryServerProxySwitchedAndTtlRestored() throws Exception {
    // given a plan that lowers www's TTL (one hour) to a minute, checks new, switches old's nginx
    // and flips the record
    MigrationWorkflow workflow = start(plan(""));

    // when the run completes
    MigrationResult result =
        client.newUntypedWorkflowStub(WORKFLOW_ID).getResult(MigrationResult.class);

    // then every step succeeded, and the restore of the TTL ran in the finish phase as a step of
    // its own
    assertThat(result.outcome()).as(result.toString()).isEqualTo(MigrationState.COMPLETED);
    assertThat(result.steps())
        .extracting(StepStatus::name)
        .containsExactly("preflight", "short-ttl", "new-ok", "proxy", "flip", "short-ttl-restore");
    assertThat(result.steps()).allMatch(s -> s.state() == StepState.SUCCEEDED, "all succeeded");
    // and the wait after lowering the TTL lasted at least the record's original TTL, as the
    // history's timer says
    List<HistoryEvent> timers =
        client.fetchHistory(WORKFLOW_ID).getEvents().stream()
            .filter(HistoryEvent::hasTimerStartedEventAttributes)
            .toList();
    assertThat(timers).isNotEmpty();
    Duration waited =
        Duration.ofSeconds(
            timers.get(0).getTimerStartedEventAttributes().getStartToFireTimeout().getSeconds());
    assertThat(waited).isGreaterThanOrEqualTo(ORIGINAL_TTL);
    // and both servers answer the new address with the original TTL back
    for (String server : bind.servers()) {
      DnsRecordState www = read(server);
      assertThat(www.values()).as(server).containsExactly("192.0.2.20");
      assertThat(www.ttl()).as(server).isEqualTo(ORIGINAL_TTL);
    }
    // and old's nginx now answers from new, with the client's Host header passed on
    assertThat(get(oldPort)).isEqualTo("new host=www.cutover.test\n");
    // and the run kept the record as it was before any change
    MigrationStatus status = workflow.status();
    assertThat(status.dns())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.original().values()).containsExactly("192.0.2.10");
              assertThat(m.original().ttl()).isEqualTo(ORIGINAL_TTL);
            });
  }

  @Test
  void abortAfterTheFlipPutsTheRecordTheSiteAndTheTtlBack() throws Exception {
    // given the same plan with a gate before finish
    MigrationWorkflow workflow = start(plan("gates: [{name: go-finish, before: finish}]\n"));
    awaitStatus(workflow, s -> "gate:go-finish".equals(s.waitingFor()));
    assertThat(get(oldPort)).startsWith("new");

    // when the migration is aborted at the gate
    workflow.abortMigration(new AbortRequest("customer asked to postpone", "ops"));
    // (an aborted run ends failed, with its result as the failure's details)
    MigrationResult result =
        dev.cutover.workflow.MigrationResults.await(client.newUntypedWorkflowStub(WORKFLOW_ID));

    // then the flip, the proxy switch and the TTL were undone: the record holds the old address and
    // TTL on both servers
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(result.steps())
        .filteredOn(s -> List.of("short-ttl", "proxy", "flip").contains(s.name()))
        .allMatch(s -> s.state() == StepState.UNDONE, "undone");
    for (String server : bind.servers()) {
      DnsRecordState www = read(server);
      assertThat(www.values()).as(server).containsExactly("192.0.2.10");
      assertThat(www.ttl()).as(server).isEqualTo(ORIGINAL_TTL);
    }
    // and old's nginx serves its own site again
    oldNginx.awaitReloads(oldNginx.reloadCount());
    assertThat(get(oldPort)).isEqualTo("old\n");
    assertThat(Files.readString(site)).contains("return 200 \"old\\n\"");
  }

  @Test
  void aRefusedKeyOrAnUnexpectedRecordStopsInPreflightBeforeAnythingChanges() throws Exception {
    // given a TSIG secret the servers do not know, and a record that does not hold what the plan
    // expects
    Files.writeString(dir.resolve("tsig"), bind.otherSecret());
    long serial = bind.primarySerial();
    String unexpected = plan("").replace("expectValue: 192.0.2.10", "expectValue: 192.0.2.99");
    MigrationWorkflow workflow = start(unexpected);

    // when preflight runs
    MigrationStatus status = awaitStatus(workflow, s -> s.waitingFor().startsWith("decision:"));

    // then it blocks naming the refused key and the record's actual value, and the zone is
    // untouched
    StepStatus preflight = status.steps().get(0);
    assertThat(preflight.name()).isEqualTo("preflight");
    assertThat(preflight.state()).isEqualTo(StepState.BLOCKED);
    assertThat(preflight.error())
        .contains(BindTestServer.UPDATE_KEY)
        .contains("192.0.2.10")
        .doesNotContain(bind.otherSecret());
    assertThat(bind.primarySerial()).isEqualTo(serial);
    assertThat(get(oldPort)).isEqualTo("old\n");
    workflow.abortMigration(new AbortRequest("fix the key", "ops"));
  }

  private String plan(String extra) {
    return """
        migration: traffic
        hosts:
          old: {address: 127.0.0.1}
          new: {address: 127.0.0.1}
        secrets: {tsig: file:%s}
        dns:
          public: {provider: rfc2136, zone: cutover.test, servers: [%s], tsigKey: %s, tsigSecret: tsig}
        %sphases:
          lower-ttl:
            steps:
              - {name: short-ttl, kind: dns-ttl, dns: public, record: www, ttl: 60s}
          switch:
            steps:
              - {name: new-ok, kind: http, url: "http://www.cutover.test:%d/", resolve: {www.cutover.test: new}, expectBody: "^new"}
              - name: proxy
                kind: proxy-switch
                host: old
                site: %s
                serverNames: [www.cutover.test]
                listen: ["127.0.0.1:%d"]
                upstream: http://127.0.0.1:%d
                testCommand: %s
                reloadCommand: %s
              - {name: flip, kind: dns-set, dns: public, record: www, value: 192.0.2.20, expectValue: 192.0.2.10}
          finish: {steps: []}
        """
        .formatted(
            dir.resolve("tsig"),
            String.join(", ", bind.servers()),
            BindTestServer.UPDATE_KEY,
            extra,
            newPort,
            site,
            oldPort,
            newPort,
            quoted(oldNginx.testCommand()),
            quoted(oldNginx.reloadCommand()));
  }

  private MigrationWorkflow start(String yaml) throws Exception {
    Plan plan = PlanLoader.parse("traffic.yaml", yaml);
    MigrationWorkflow workflow =
        client.newWorkflowStub(
            MigrationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WORKFLOW_ID)
                .setTaskQueue(CutoverNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(workflow::run, new MigrationInput(plan, null, null));
    return client.newWorkflowStub(MigrationWorkflow.class, WORKFLOW_ID);
  }

  /**
   * Lets virtual time pass (the TTL wait skips ahead) while real activities run, until the status
   * matches.
   */
  private MigrationStatus awaitStatus(
      MigrationWorkflow workflow, Predicate<MigrationStatus> condition) {
    for (int i = 0; i < 600; i++) {
      MigrationStatus status = workflow.status();
      if (condition.test(status)) {
        return status;
      }
      env.sleep(Duration.ofMinutes(5));
    }
    throw new AssertionError("status never matched; last: " + workflow.status());
  }

  private DnsRecordState read(String server) {
    DnsActivitiesImpl dns =
        new DnsActivitiesImpl(new SecretResolver(), new HostShells(new NoSshTransport(), Set.of()));
    DnsTarget one =
        new DnsTarget(
            "bind",
            DnsProvider.RFC2136,
            BindTestServer.ZONE,
            List.of(server),
            BindTestServer.UPDATE_KEY,
            BindTestServer.ALGORITHM,
            "file:" + dir.resolve("tsig"),
            List.of());
    return dns.readRecord(new DnsReadRequest("check", one, "www", DnsRecordType.A));
  }

  /**
   * A GET with the site's Host header, as a browser that resolved www.cutover.test to old would
   * send it.
   */
  private static String get(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET / HTTP/1.0\r\nHost: www.cutover.test\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int body = response.indexOf("\r\n\r\n");
      return body < 0 ? response : response.substring(body + 4);
    }
  }

  private static String quoted(String command) {
    return "'" + command.replace("'", "''") + "'";
  }
}
