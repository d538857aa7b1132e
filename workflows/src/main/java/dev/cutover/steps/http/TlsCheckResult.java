package dev.cutover.steps.http;

import java.time.Instant;
import java.util.List;

/**
 * The certificate served for the name.
 *
 * @param subject the certificate's subject
 * @param issuer its issuer
 * @param subjectAltNames its DNS subject alternative names
 * @param notBefore start of its validity
 * @param notAfter end of its validity
 * @param daysValid whole days from the check until {@code notAfter}
 * @param nameCovered whether it covers the name
 * @param trusted whether its chain verifies against the worker's trust store
 */
public record TlsCheckResult(
    String subject,
    String issuer,
    List<String> subjectAltNames,
    Instant notBefore,
    Instant notAfter,
    long daysValid,
    boolean nameCovered,
    boolean trusted) {

  public TlsCheckResult {
    subjectAltNames = subjectAltNames == null ? List.of() : List.copyOf(subjectAltNames);
  }
}
