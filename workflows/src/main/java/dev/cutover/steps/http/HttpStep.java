package dev.cutover.steps.http;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code http} check in the workflow; a check that does not pass fails retryably in the
 * activity.
 */
public final class HttpStep implements StepHandler<HttpSpec> {
  /** One request should answer well within this; the step's retries give a slow start more time. */
  static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Reaches no host of the plan, or needs nothing checked first. */
  @Override
  public boolean needsPreflight() {
    return false;
  }

  @Override
  public String preview(HttpSpec s, PhaseName phase, Plan plan) {
    return " GET "
        + s.url()
        + CheckTargets.resolveText(s.resolve())
        + " expect "
        + (s.expectStatus() == null ? 200 : s.expectStatus())
        + (s.expectBody() == null ? "" : " and body ~ /" + s.expectBody() + "/");
  }

  @Override
  public StepDone run(StepCall call, HttpSpec spec) {
    HttpSpec s = call.step().spec(HttpSpec.class);
    // The activity gets the secrets' references, never their values.
    Map<String, String> secretRefs = new TreeMap<>();
    s.secretHeaders()
        .forEach((header, secret) -> secretRefs.put(header, call.plan().secrets().get(secret)));
    HttpCheckRequest request =
        new HttpCheckRequest(
            call.step().name(),
            s.url(),
            s.expectStatus(),
            s.expectBody(),
            CheckTargets.addresses(call.plan(), s.resolve()),
            s.headers(),
            secretRefs,
            Boolean.TRUE.equals(s.followRedirects()),
            s.readTimeout() != null ? s.readTimeout() : DEFAULT_REQUEST_TIMEOUT);
    HttpCheckResult result = call.activities(HttpCheckActivities.class).http(request);
    return StepDone.of(
        s.url()
            + " answered "
            + result.status()
            + " from "
            + result.address()
            + " in "
            + result.durationMillis()
            + " ms"
            + (s.expectBody() == null ? "" : ", body matched"));
  }
}
