package dev.cutover.steps.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.BindTestServer;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A server that stopped answering is a transient problem: retried, and a wait keeps waiting for it.
 */
@RealTools
class DnsServerDownTest {

  @Test
  void aStoppedServerIsRetryableAndKeepsAWaitPending() {
    // given a primary and a secondary, the secondary stopped
    try (BindTestServer bind = BindTestServer.start(List.of("www 600 IN A 192.0.2.10"), true)) {
      DnsActivitiesImpl dns =
          new DnsActivitiesImpl(
              new SecretResolver(Map.of("TSIG", bind.updateSecret())),
              new HostShells(new NoSshTransport(), Set.of()),
              Duration.ofSeconds(1));
      DnsTarget target = bind.target(BindTestServer.UPDATE_KEY, "env:TSIG");
      bind.stopSecondary();

      // when the record is read, and a wait for it is given three rounds
      ApplicationFailure read =
          catchThrowableOfType(
              ApplicationFailure.class,
              () -> dns.readRecord(new DnsReadRequest("read", target, "www", DnsRecordType.A)));
      List<DnsWaitProgress> beats = new ArrayList<>();
      RuntimeException stopped =
          catchThrowableOfType(
              RuntimeException.class,
              () ->
                  dns.waitForAnswer(
                      new DnsWaitRequest(
                          "wait",
                          target,
                          "www",
                          DnsRecordType.A,
                          List.of("192.0.2.10"),
                          null,
                          Duration.ofMillis(50)),
                      p -> {
                        beats.add(p);
                        if (beats.size() == 3) {
                          throw new IllegalStateException("activity timed out");
                        }
                      }));

      // then the read fails retryably naming the server, and the wait reported the secondary
      // pending until it was stopped
      assertThat(read.getType()).isEqualTo(CutoverErrors.DNS_UNREACHABLE);
      assertThat(read.isNonRetryable()).isFalse();
      assertThat(read.getOriginalMessage())
          .contains("step read")
          .contains(bind.secondary())
          .contains("did not answer");
      assertThat(stopped).hasMessage("activity timed out");
      assertThat(beats)
          .hasSize(3)
          .allSatisfy(
              p -> {
                assertThat(p.pending()).containsExactly(bind.secondary());
                assertThat(p.answers()).containsEntry(bind.primary(), List.of("192.0.2.10"));
                assertThat(p.answers().get(bind.secondary()).get(0)).startsWith("no answer");
              });
    }
  }
}
