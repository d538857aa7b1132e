package dev.cutover.steps.dns;

import dev.cutover.plan.load.DurationText;
import java.time.Duration;
import java.util.List;

/** How records read in status and summaries. */
final class DnsText {
  private DnsText() {}

  static String values(List<String> values) {
    return values.isEmpty() ? "(none)" : String.join(", ", values);
  }

  static String ttl(Duration ttl) {
    return ttl == null ? "-" : DurationText.format(ttl);
  }

  static String servers(List<String> servers) {
    return servers.size() == 1 ? "1 server" : servers.size() + " servers";
  }
}
