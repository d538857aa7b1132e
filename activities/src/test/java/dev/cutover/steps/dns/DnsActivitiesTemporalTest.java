package dev.cutover.steps.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.BindTestServer;
import dev.cutover.testing.RealTools;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The facade inside Temporal's test environment: payloads serialize, heartbeats arrive, failure
 * types reach the caller.
 */
@RealTools
class DnsActivitiesTemporalTest {
  BindTestServer bind;
  TestActivityEnvironment temporal;
  DnsActivities activities;

  @BeforeEach
  void start() {
    bind = BindTestServer.start(List.of("www 600 IN A 192.0.2.10"), true);
    temporal = TestActivityEnvironment.newInstance();
    temporal.registerActivitiesImplementations(
        new DnsActivitiesImpl(
            new SecretResolver(
                Map.of("TSIG", bind.updateSecret(), "OTHER_TSIG", bind.otherSecret())),
            new HostShells(new NoSshTransport(), Set.of())));
    activities =
        temporal.newActivityStub(
            DnsActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setMaximumAttempts(2)
                        .setInitialInterval(Duration.ofMillis(10))
                        .build())
                .build());
  }

  @AfterEach
  void stop() {
    // null when start() failed (BIND not installed): that failure is the one to report
    if (temporal != null) {
      temporal.close();
    }
    if (bind != null) {
      bind.close();
    }
  }

  @Test
  void aSwitchAndItsWaitRunAsActivitiesWithHeartbeats() {
    // given a heartbeat listener and the record's TTL lowered first
    List<DnsWaitProgress> beats = new CopyOnWriteArrayList<>();
    temporal.setActivityHeartbeatListener(DnsWaitProgress.class, beats::add);
    DnsTarget target = bind.target(BindTestServer.UPDATE_KEY, "env:TSIG");
    DnsChangeResult ttl =
        activities.setTtl(
            new DnsTtlRequest("lower-ttl", target, "www", DnsRecordType.A, Duration.ofSeconds(30)));

    // when the record is switched and the workflow waits for both servers
    DnsRecordState before =
        activities.readRecord(new DnsReadRequest("read", target, "www", DnsRecordType.A));
    DnsChangeResult result =
        activities.setRecord(
            new DnsSetRequest(
                "switch",
                target,
                "www",
                DnsRecordType.A,
                List.of("198.51.100.10"),
                null,
                before.values()));
    DnsWaitResult waited =
        activities.waitForAnswer(
            new DnsWaitRequest(
                "wait",
                target,
                "www",
                DnsRecordType.A,
                List.of("198.51.100.10"),
                Duration.ofSeconds(30),
                Duration.ofMillis(200)));

    // then the results arrive intact and the heartbeats carried every server's answer
    assertThat(ttl.previousTtl()).isEqualTo(Duration.ofSeconds(600));
    assertThat(result.previousValues()).containsExactly("192.0.2.10");
    assertThat(result.ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(waited.servers()).containsExactly(bind.primary(), bind.secondary());
    assertThat(beats).isNotEmpty();
    // (Temporal throttles heartbeats, so the last round need not be among them)
    assertThat(beats.get(0).answers()).containsOnlyKeys(bind.primary(), bind.secondary());
    assertThat(beats.get(0).answers().get(bind.primary())).contains("TTL 30s");
  }

  @Test
  void aRefusedUpdateReachesTheCallerAsItsTypeWithoutRetry() {
    // given a key without update rights
    DnsTarget other = bind.target(BindTestServer.OTHER_KEY, "env:OTHER_TSIG");

    // when the switch runs as an activity
    ActivityFailure failure =
        catchThrowableOfType(
            ActivityFailure.class,
            () ->
                activities.setRecord(
                    new DnsSetRequest(
                        "switch",
                        other,
                        "www",
                        DnsRecordType.A,
                        List.of("198.51.100.10"),
                        null,
                        List.of())));

    // then the workflow sees DnsUpdateRefused, non-retryable, and the secret is nowhere in it
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertThat(cause.getType()).isEqualTo(CutoverErrors.DNS_UPDATE_REFUSED);
    assertThat(cause.isNonRetryable()).isTrue();
    assertThat(cause.getOriginalMessage())
        .contains("step switch")
        .doesNotContain(bind.otherSecret());
  }
}
