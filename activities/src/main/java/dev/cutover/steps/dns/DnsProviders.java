package dev.cutover.steps.dns;

import dev.cutover.hosts.HostShells;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/**
 * Picks the {@link DnsRecords} for a target's provider; an HTTP-API provider is one more case here.
 */
final class DnsProviders {
  private final SecretResolver secrets;
  private final HostShells shells;
  private final Duration queryTimeout;

  DnsProviders(SecretResolver secrets, HostShells shells, Duration queryTimeout) {
    this.secrets = secrets;
    this.shells = shells;
    this.queryTimeout = queryTimeout;
  }

  DnsRecords records(String step, DnsTarget target) {
    if (target == null || target.provider() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + step + ": the dns entry or its provider is missing",
          CutoverErrors.INVALID_CONFIG);
    }
    return switch (target.provider()) {
      case RFC2136 -> new Rfc2136Records(step, target, secrets, queryTimeout);
      case HOSTS_FILE -> new HostsFileRecords(step, target, shells);
    };
  }

  static DnsRecordType requireType(String step, DnsRecordType type) {
    if (type == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + step + ": the record type is missing", CutoverErrors.INVALID_CONFIG);
    }
    return type;
  }
}
