package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsWaitRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The dns-wait step in the workflow: it waits for a change someone else makes, and makes none. */
class DnsWaitStepTest extends WorkflowTestSupport {
  final TrafficStepsFake traffic =
      new TrafficStepsFake()
          .record("www.example.org", DnsRecordType.A, Duration.ofSeconds(300), "192.0.2.10");

  static final Plan PLAN =
      Plans.parse(
          """
      migration: whimsy
      hosts:
        new: {transport: local}
      dns:
        # No TSIG key: the step only reads, someone else changes the record.
        public: {provider: rfc2136, zone: example.org, servers: [ns1.example.org]}
      phases:
        switch:
          steps:
            - {name: dns-changed-over, kind: dns-wait, dns: public, record: www, value: 192.0.2.20, timeout: 1h,
               retry: {maxAttempts: 100, initialInterval: 1m, maxInterval: 1m}}
            - {name: page-off-old, kind: run, host: new, command: 'true'}
      """);

  @Override
  Object[] moreActivities() {
    return new Object[] {traffic};
  }

  @Test
  void theStepLastsUntilInfraHasChangedTheRecordAndChangesNothingItself() {
    // given the record still at the old address, the step waiting on it
    MigrationWorkflow workflow = start(PLAN);
    awaitStatus(workflow, s -> "dns-changed-over".equals(s.currentStep()));
    assertThat(traffic.requests(DnsWaitRequest.class)).isNotEmpty();

    // when Infra changes the record
    traffic.record("www.example.org", DnsRecordType.A, Duration.ofSeconds(300), "192.0.2.20");
    MigrationResult result = result();

    // then the step succeeded, saying who answered, and the run made no DNS change of its own
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(step(result, "dns-changed-over").outputTail())
        .startsWith("www.example.org A 192.0.2.20, answered by 2 servers");
    assertThat(traffic.changes()).isEmpty();
    DnsWaitRequest wait = traffic.requests(DnsWaitRequest.class).get(0);
    assertThat(wait.values()).containsExactly("192.0.2.20");
    assertThat(wait.ttl()).isNull();
  }
}
