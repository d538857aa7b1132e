package dev.cutover.steps.http;

import dev.cutover.plan.PlanPatterns;
import dev.cutover.plan.SpecCheck;
import java.util.Map;

/** What http and tls steps check alike. */
final class HttpChecks {
  private HttpChecks() {}

  /** A value for the resolve map: a plan host (its address is used) or an address. */
  static void resolve(SpecCheck c, Map<String, String> resolve) {
    resolve.forEach(
        (name, target) -> {
          if (!PlanPatterns.DNS_NAME.matcher(name).matches()) {
            c.report("resolve." + name, "'" + name + "' is not a host name");
          }
          var hosts = c.plan().hosts();
          if (target == null
              || !(hosts.containsKey(target)
                  || PlanPatterns.IPV4.matcher(target).matches()
                  || PlanPatterns.IPV6.matcher(target).matches())) {
            c.report(
                "resolve." + name,
                "'" + target + "' is neither a host of this plan nor an IP address");
          } else if (hosts.containsKey(target) && hosts.get(target).address() == null) {
            c.report(
                "resolve." + name,
                "host '" + target + "' has no address to send the request to; give it one");
          }
        });
  }
}
