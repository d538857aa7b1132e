package dev.cutover.steps.http;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code http} and {@code tls} checks.
 *
 * <p>Implementations must be idempotent (they only read) and raise {@link
 * io.temporal.failure.ApplicationFailure} with the types in {@link dev.cutover.steps.CutoverErrors}
 * for non-retryable errors (a malformed URL, an unresolvable secret reference). A check that does
 * not pass raises a retryable {@link #CHECK_FAILED} failure whose message says what differed and
 * whose details are the result, so the step's retry policy decides how long to keep trying.
 */
@ActivityInterface
public interface HttpCheckActivities {
  /** Failure type of a check that ran and did not pass; retryable. */
  String CHECK_FAILED = dev.cutover.steps.CutoverErrors.CHECK_FAILED;

  /** Requests the URL and checks the status and the body. */
  @ActivityMethod(name = "HttpCheck")
  HttpCheckResult http(HttpCheckRequest request);

  /** Connects with TLS and checks the certificate served for the name. */
  @ActivityMethod(name = "TlsCheck")
  TlsCheckResult tls(TlsCheckRequest request);
}
