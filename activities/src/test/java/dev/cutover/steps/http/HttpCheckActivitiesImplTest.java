package dev.cutover.steps.http;

import static dev.cutover.steps.http.CheckSites.API;
import static dev.cutover.steps.http.CheckSites.SELF;
import static dev.cutover.steps.http.CheckSites.WWW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.NginxTestServer;
import dev.cutover.testing.RealTools;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** http checks against a real nginx on loopback, reached by names that do not resolve. */
@RealTools
class HttpCheckActivitiesImplTest {
  static final String TOKEN = "s3cr3t-Token-Value-42";
  static CheckSites sites;
  static HttpCheckActivitiesImpl checks;

  @BeforeAll
  static void start() {
    NginxTestServer.requireInstalled();
    sites = CheckSites.start();
    checks =
        new HttpCheckActivitiesImpl(
            new SecretResolver(Map.of("HEALTH_TOKEN", TOKEN)), sites.trust());
  }

  @AfterAll
  static void stop() {
    if (sites != null) {
      sites.close();
    }
  }

  @Test
  void aNameThatDoesNotResolveIsReachedThroughItsResolveEntryWithItsOwnHostHeader()
      throws InterruptedException {
    // given www.cutover.test resolves nowhere but is mapped to 127.0.0.1
    String url = "http://" + WWW + ":" + sites.http + "/";

    // when the check runs with a status and a pattern
    HttpCheckResult result = checks.http(request(url, 200, "hello from \\w+", Map.of()));

    // then it passed, reached 127.0.0.1, and nginx saw the real name as Host
    assertThat(result.status()).isEqualTo(200);
    assertThat(result.bodyMatched()).isTrue();
    assertThat(result.bodyExcerpt()).isEqualTo("hello from new\n");
    assertThat(result.address()).isEqualTo("127.0.0.1");
    assertThat(awaitLog("host=" + WWW + " sni=- ")).isTrue();
  }

  @Test
  void aWrongStatusIsARetryableCheckFailureShowingTheBody() {
    // given a page that answers 503
    HttpCheckRequest request =
        request("http://" + WWW + ":" + sites.http + "/down", null, null, Map.of());

    // when the check runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks.http(request));

    // then it fails retryably, saying what differed and how the body starts
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .startsWith("step check-web: GET http://" + WWW)
        .contains("status 503, expected 200")
        .contains("\"down for maintenance\"");
  }

  @Test
  void aBodyWithoutThePatternIsACheckFailure() {
    // given a pattern the page does not contain
    HttpCheckRequest request =
        request("http://" + WWW + ":" + sites.http + "/", 200, "goodbye", Map.of());

    // when the check runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks.http(request));

    // then the message names the pattern and shows the body
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("no match for /goodbye/")
        .contains("\"hello from new\"")
        .doesNotContain("status");
  }

  @Test
  void httpsSendsTheNameAsSniSoNginxPicksThatNamesCertificate() throws InterruptedException {
    // given two names on one TLS port, each with its own certificate from the trusted test CA
    String api = "https://" + API + ":" + sites.https + "/";
    String www = "https://" + WWW + ":" + sites.https + "/";

    // when both are checked (each certificate must match its name for the request to succeed)
    HttpCheckResult apiResult =
        checks.http(
            new HttpCheckRequest(
                "check-api",
                api,
                200,
                "^api over tls",
                Map.of(API, "127.0.0.1"),
                Map.of(),
                Map.of(),
                false,
                null));
    HttpCheckResult wwwResult =
        checks.http(
            new HttpCheckRequest(
                "check-www",
                www,
                200,
                "^www over tls",
                Map.of(WWW, "127.0.0.1"),
                Map.of(),
                Map.of(),
                false,
                null));

    // then each name reached its own server block, and nginx saw SNI and Host as the real names
    assertThat(apiResult.bodyMatched()).isTrue();
    assertThat(wwwResult.bodyMatched()).isTrue();
    assertThat(awaitLog("host=" + API + " sni=" + API + " ")).isTrue();
    assertThat(awaitLog("host=" + WWW + " sni=" + WWW + " ")).isTrue();
  }

  @Test
  void anUntrustedCertificateIsARetryableCheckFailure() {
    // given a self-signed certificate nobody trusts
    HttpCheckRequest request =
        new HttpCheckRequest(
            "check-self",
            "https://" + SELF + ":" + sites.https + "/",
            200,
            null,
            Map.of(SELF, "127.0.0.1"),
            Map.of(),
            Map.of(),
            false,
            null);

    // when the check runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks.http(request));

    // then it fails retryably, naming the address and TLS
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("at 127.0.0.1").contains("TLS failed");
  }

  @Test
  void aSecretHeaderReachesTheServerButNeverTheResultOrTheFailure() {
    // given a header whose value is a secret reference, and a page that echoes it
    String url = "http://" + WWW + ":" + sites.http + "/echo";
    Map<String, String> secret = Map.of("X-Token", "env:HEALTH_TOKEN");

    // when a check passes on it, and another fails on it
    HttpCheckResult passed = checks.http(request(url, 200, "token=s3cr3t-", secret));
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> checks.http(request(url, 200, "token=wrong", secret)));

    // then the server got the value (the pattern matched the raw body), and no result or message
    // shows it
    assertThat(passed.bodyMatched()).isTrue();
    assertThat(passed.bodyExcerpt()).isEqualTo("token=***\n").doesNotContain(TOKEN);
    assertThat(passed.toString()).doesNotContain(TOKEN);
    assertThat(failure.getOriginalMessage()).contains("token=***").doesNotContain(TOKEN);
    HttpCheckResult details = failure.getDetails().get(HttpCheckResult.class);
    assertThat(details.toString()).doesNotContain(TOKEN);
  }

  @Test
  void aSecretThatCannotBeResolvedStopsTheCheckForGood() {
    // given a header naming a variable the worker does not have
    HttpCheckRequest request =
        request(
            "http://" + WWW + ":" + sites.http + "/", 200, null, Map.of("X-Token", "env:NOT_SET"));

    // when the check runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks.http(request));

    // then it is a non-retryable secret failure naming the header and reference
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("header X-Token").contains("env:NOT_SET");
  }

  @Test
  void redirectsAreFollowedOnlyWhenTheStepSaysSo() {
    // given a page that redirects to /
    String url = "http://" + WWW + ":" + sites.http + "/moved";

    // when it is checked with and without following redirects
    HttpCheckResult followed =
        checks.http(
            new HttpCheckRequest(
                "check-web",
                url,
                200,
                "hello",
                Map.of(WWW, "127.0.0.1"),
                Map.of(),
                Map.of(),
                true,
                null));
    HttpCheckResult notFollowed =
        checks.http(
            new HttpCheckRequest(
                "check-web",
                url,
                302,
                null,
                Map.of(WWW, "127.0.0.1"),
                Map.of(),
                Map.of(),
                false,
                null));

    // then the first ended on the target page, the second saw the redirect itself
    assertThat(followed.status()).isEqualTo(200);
    assertThat(followed.bodyMatched()).isTrue();
    assertThat(notFollowed.status()).isEqualTo(302);
  }

  @Test
  void aRefusedConnectionIsARetryableCheckFailureNamingTheAddress() {
    // given a port nothing listens on
    int closed = NginxTestServer.freePort();
    HttpCheckRequest request = request("http://" + WWW + ":" + closed + "/", 200, null, Map.of());

    // when the check runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks.http(request));

    // then it is retried later, and says where it tried
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains(WWW + ":" + closed + " at 127.0.0.1")
        .contains("connection refused");
  }

  @Test
  void aMalformedUrlIsBadConfig() {
    // given a URL with a space in its host
    HttpCheckRequest request = request("http://www cutover.test/", 200, null, Map.of());

    // when the check runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks.http(request));

    // then it stops for good
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void throughTemporalAFailedCheckIsRetriedAndArrivesWithWhatItSaw() {
    // given the activity in Temporal's test environment, with two attempts
    TestActivityEnvironment temporal = TestActivityEnvironment.newInstance();
    try {
      temporal.registerActivitiesImplementations(checks);
      HttpCheckActivities activities =
          temporal.newActivityStub(
              HttpCheckActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(
                      RetryOptions.newBuilder()
                          .setMaximumAttempts(2)
                          .setInitialInterval(Duration.ofMillis(10))
                          .build())
                  .build());

      // when a check of a page answering 503 runs, with a secret header
      ActivityFailure failure =
          catchThrowableOfType(
              ActivityFailure.class,
              () ->
                  activities.http(
                      request(
                          "http://" + WWW + ":" + sites.http + "/down",
                          200,
                          null,
                          Map.of("X-Token", "env:HEALTH_TOKEN"))));

      // then the workflow sees a retryable CheckFailed with the result as details, and no secret
      ApplicationFailure cause = (ApplicationFailure) failure.getCause();
      assertThat(cause.getType()).isEqualTo(HttpCheckActivities.CHECK_FAILED);
      assertThat(cause.isNonRetryable()).isFalse();
      assertThat(cause.getOriginalMessage()).contains("status 503").doesNotContain(TOKEN);
      HttpCheckResult seen = cause.getDetails().get(HttpCheckResult.class);
      assertThat(seen.status()).isEqualTo(503);
      assertThat(seen.address()).isEqualTo("127.0.0.1");
      assertThat(seen.bodyExcerpt()).isEqualTo("down for maintenance\n");
    } finally {
      temporal.close();
    }
  }

  static HttpCheckRequest request(
      String url, Integer status, String pattern, Map<String, String> secretHeaders) {
    return new HttpCheckRequest(
        "check-web",
        url,
        status,
        pattern,
        Map.of(WWW, "127.0.0.1"),
        Map.of("X-Check", "cutover"),
        secretHeaders,
        false,
        Duration.ofSeconds(10));
  }

  /** Whether the access log gets the line soon: nginx writes it once the response is sent. */
  static boolean awaitLog(String fragment) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (sites.nginx.accessLogText().contains(fragment)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
