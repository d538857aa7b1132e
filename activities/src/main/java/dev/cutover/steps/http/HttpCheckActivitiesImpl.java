package dev.cutover.steps.http;

import dev.cutover.secrets.SecretResolver;
import java.security.KeyStore;
import java.time.Clock;

/**
 * Runs {@code http} and {@code tls} checks from the worker. Both only read, so a retry is always
 * safe; a check that does not pass is a retryable {@link #CHECK_FAILED} whose details are what it
 * saw, so the step's retry policy decides how long to wait for the new host.
 *
 * <p>Servers are trusted by the JVM's default trust store, plus the certificates of an optional
 * extra store (a private CA of the operator's, or a test's).
 */
public class HttpCheckActivitiesImpl implements HttpCheckActivities {
  private final HttpCheck http;
  private final TlsCheck tls;

  /** Trusts what the JVM's default trust store trusts. */
  public HttpCheckActivitiesImpl(SecretResolver secrets) {
    this(secrets, null);
  }

  /**
   * @param extraTrust certificates trusted besides the JVM's default store; {@code null} for none
   */
  public HttpCheckActivitiesImpl(SecretResolver secrets, KeyStore extraTrust) {
    this(secrets, extraTrust, Clock.systemUTC());
  }

  HttpCheckActivitiesImpl(SecretResolver secrets, KeyStore extraTrust, Clock clock) {
    CheckTrust trust = CheckTrust.of(extraTrust);
    this.http = new HttpCheck(secrets, trust);
    this.tls = new TlsCheck(trust, clock);
  }

  @Override
  public HttpCheckResult http(HttpCheckRequest request) {
    return http.run(request);
  }

  @Override
  public TlsCheckResult tls(TlsCheckRequest request) {
    return tls.run(request);
  }
}
