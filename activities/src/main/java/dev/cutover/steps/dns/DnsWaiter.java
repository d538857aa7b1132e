package dev.cutover.steps.dns;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.Pause;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks every source again and again until all answer the wanted values (and TTL), reporting each
 * round through the heartbeat, which throws when the activity is canceled or timed out. A source
 * that does not answer for a moment (a restarting secondary) only keeps the wait going; a source
 * that says it does not serve the zone, or refuses the key, ends it.
 */
final class DnsWaiter {
  static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

  private DnsWaiter() {}

  static DnsWaitResult waitFor(
      DnsRecords records, DnsWaitRequest request, Heartbeat<DnsWaitProgress> heartbeat) {
    String absolute = records.absoluteName(request.name());
    DnsRecordType type = DnsProviders.requireType(request.step(), request.type());
    List<String> wanted =
        DnsValues.canonical(
            type, request.values(), "step " + request.step() + ": " + absolute + " " + type);
    Duration ttl =
        records.hasTtl() && request.ttl() != null
            ? Duration.ofSeconds(request.ttl().toSeconds())
            : null;
    Duration poll =
        request.pollInterval() == null
                || request.pollInterval().isNegative()
                || request.pollInterval().isZero()
            ? DEFAULT_POLL
            : request.pollInterval();
    long started = System.nanoTime();
    while (true) {
      Map<String, List<String>> answers = new LinkedHashMap<>();
      List<String> pending = new ArrayList<>();
      for (String source : records.sources()) {
        try {
          DnsRrset answer = records.answer(source, absolute, type);
          List<String> shown = new ArrayList<>(answer.values());
          if (ttl != null && answer.exists()) {
            shown.add("TTL " + answer.ttl().toSeconds() + "s");
          }
          answers.put(source, shown);
          if (!answer.holds(wanted, ttl)) {
            pending.add(source);
          }
        } catch (ApplicationFailure f) {
          if (f.isNonRetryable()) {
            throw f;
          }
          answers.put(source, List.of("no answer (" + f.getType() + ")"));
          pending.add(source);
        }
      }
      heartbeat.beat(new DnsWaitProgress(answers, pending));
      if (pending.isEmpty()) {
        return new DnsWaitResult(records.sources(), (System.nanoTime() - started) / 1_000_000);
      }
      Pause.sleep(poll, "step " + request.step() + ": the wait for " + absolute);
    }
  }
}
