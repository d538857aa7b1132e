package dev.cutover.steps.http;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.net.URI;

/**
 * The {@code tls} check in the workflow: the certificate served for the URL's host covers it and
 * stays valid long enough.
 */
public final class TlsStep implements StepHandler<TlsSpec> {
  /** Two weeks: time to renew a certificate by hand before it expires. */
  static final int DEFAULT_VALID_DAYS = 14;

  static final int HTTPS_PORT = 443;

  /** Reaches no host of the plan, or needs nothing checked first. */
  @Override
  public boolean needsPreflight() {
    return false;
  }

  @Override
  public String preview(TlsSpec s, PhaseName phase, Plan plan) {
    return " "
        + s.url()
        + CheckTargets.resolveText(s.resolve())
        + ": certificate covers the name, trusted, valid "
        + (s.validDays() == null ? DEFAULT_VALID_DAYS : s.validDays())
        + "+ days";
  }

  @Override
  public StepDone run(StepCall call, TlsSpec spec) {
    TlsSpec s = call.step().spec(TlsSpec.class);
    URI uri = URI.create(s.url());
    String name = uri.getHost();
    int port = uri.getPort() > 0 ? uri.getPort() : HTTPS_PORT;
    String address = CheckTargets.addresses(call.plan(), s.resolve()).get(name);
    int days = s.validDays() != null ? s.validDays() : DEFAULT_VALID_DAYS;
    TlsCheckResult result =
        call.activities(HttpCheckActivities.class)
            .tls(new TlsCheckRequest(call.step().name(), name, port, address, days));
    return StepDone.of(
        name
            + ":"
            + port
            + (address == null ? "" : " at " + address)
            + " serves a certificate for "
            + String.join(", ", result.subjectAltNames())
            + " valid "
            + result.daysValid()
            + " more days (issuer "
            + result.issuer()
            + ")");
  }
}
