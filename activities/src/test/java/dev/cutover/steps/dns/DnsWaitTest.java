package dev.cutover.steps.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.testing.BindTestServer;
import dev.cutover.testing.RealTools;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The {@code dns-wait} step's activity against real BIND 9 (a primary and a secondary fed by NOTIFY
 * and transfer): the step only waits; someone else (runbook 002: "contact Infra to get DNS changed
 * over") changes the record while it does.
 */
@RealTools
class DnsWaitTest {

  @Test
  void theWaitLastsUntilEveryServerAnswersTheValueSomeoneElseSet() {
    // given www still at the old address on both servers
    try (BindTestServer bind = BindTestServer.start(List.of("www 300 IN A 192.0.2.10"), true)) {
      DnsActivitiesImpl dns =
          new DnsActivitiesImpl(
              new SecretResolver(Map.of("TSIG", bind.updateSecret())),
              new HostShells(new NoSshTransport(), Set.of()),
              Duration.ofSeconds(2));
      DnsTarget target = bind.target(BindTestServer.UPDATE_KEY, "env:TSIG");
      // The step holds no key: it only reads, Infra has the key.
      DnsTarget keyless = bind.target(null, null);
      List<DnsWaitProgress> beats = new CopyOnWriteArrayList<>();

      // when the step waits for the new address, and Infra changes the record after the third round
      DnsWaitResult waited =
          dns.waitForAnswer(
              new DnsWaitRequest(
                  "dns-changed",
                  keyless,
                  "www",
                  DnsRecordType.A,
                  List.of("198.51.100.10"),
                  null,
                  Duration.ofMillis(100)),
              progress -> {
                beats.add(progress);
                if (beats.size() == 3) {
                  dns.setRecord(
                      new DnsSetRequest(
                          "infra",
                          target,
                          "www",
                          DnsRecordType.A,
                          List.of("198.51.100.10"),
                          null,
                          List.of()));
                }
              });

      // then the first rounds showed both servers still answering the old address, as heartbeats
      assertThat(beats.get(0).pending()).containsExactly(bind.primary(), bind.secondary());
      assertThat(beats.get(0).answers())
          .containsEntry(bind.primary(), List.of("192.0.2.10"))
          .containsEntry(bind.secondary(), List.of("192.0.2.10"));
      // and it returned only once both answered the new one
      assertThat(beats)
          .last()
          .satisfies(
              p -> {
                assertThat(p.pending()).isEmpty();
                assertThat(p.answers()).containsEntry(bind.secondary(), List.of("198.51.100.10"));
              });
      assertThat(beats.size()).isGreaterThan(3);
      assertThat(waited.servers()).containsExactly(bind.primary(), bind.secondary());
    }
  }
}
