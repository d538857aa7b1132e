package dev.cutover.steps.http;

import static dev.cutover.steps.http.CheckSites.SELF;
import static dev.cutover.steps.http.CheckSites.SOON;
import static dev.cutover.steps.http.CheckSites.WWW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.NginxTestServer;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** tls checks against a real nginx that picks its certificate by SNI. */
@RealTools
class TlsCheckTest {
  static CheckSites sites;
  static HttpCheckActivitiesImpl checks;

  @BeforeAll
  static void start() {
    NginxTestServer.requireInstalled();
    sites = CheckSites.start();
    checks = new HttpCheckActivitiesImpl(new SecretResolver(Map.of()), sites.trust());
  }

  @AfterAll
  static void stop() {
    if (sites != null) {
      sites.close();
    }
  }

  @Test
  void aValidCertificateForTheNamePasses() throws InterruptedException {
    // given www's certificate from the trusted CA, valid for 90 days

    // when the check runs for www with 30 days needed
    TlsCheckResult result =
        checks.tls(new TlsCheckRequest("check-tls", WWW, sites.https, "127.0.0.1", 30));

    // then it is trusted, covers the name and says how long it lasts; nginx got the name as SNI
    assertThat(result.trusted()).isTrue();
    assertThat(result.nameCovered()).isTrue();
    assertThat(result.subjectAltNames()).containsExactly(WWW);
    assertThat(result.subject()).isEqualTo("CN=" + WWW);
    assertThat(result.issuer()).isEqualTo("CN=cutover test CA");
    assertThat(result.daysValid()).isBetween(88L, 90L);
    assertThat(result.notAfter()).isAfter(result.notBefore());
  }

  @Test
  void aCertificateForAnotherNameFailsSayingSo() {
    // given a name no server block has: nginx's default (www's) certificate is served
    TlsCheckRequest request =
        new TlsCheckRequest("check-tls", "shop.cutover.test", sites.https, "127.0.0.1", 30);

    // when the check runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks.tls(request));

    // then it fails retryably: the name is not covered, and the details say which names are
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("does not cover shop.cutover.test (it names " + WWW + ")")
        .doesNotContain("not trusted")
        .doesNotContain("more days");
    TlsCheckResult seen = failure.getDetails().get(TlsCheckResult.class);
    assertThat(seen.nameCovered()).isFalse();
    assertThat(seen.trusted()).isTrue();
  }

  @Test
  void aCertificateExpiringSoonerThanTheStepNeedsFails() {
    // given soon's certificate expires in 5 days
    TlsCheckRequest request = new TlsCheckRequest("check-tls", SOON, sites.https, "127.0.0.1", 30);

    // when the check asks for 30
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks.tls(request));

    // then it fails saying how long is left
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("fewer than the 30 the step needs")
        .doesNotContain("does not cover");
    TlsCheckResult seen = failure.getDetails().get(TlsCheckResult.class);
    assertThat(seen.daysValid()).isBetween(4L, 5L);
    assertThat(seen.trusted()).isTrue();
    assertThat(seen.nameCovered()).isTrue();
  }

  @Test
  void aSelfSignedCertificateIsReadButNotTrusted() {
    // given self's certificate is signed by itself
    TlsCheckRequest request = new TlsCheckRequest("check-tls", SELF, sites.https, "127.0.0.1", 30);

    // when the check runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks.tls(request));

    // then the certificate was still read (it covers the name), and the check fails as untrusted
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CHECK_FAILED);
    assertThat(failure.getOriginalMessage())
        .contains("is not trusted")
        .doesNotContain("does not cover");
    TlsCheckResult seen = failure.getDetails().get(TlsCheckResult.class);
    assertThat(seen.trusted()).isFalse();
    assertThat(seen.nameCovered()).isTrue();
    assertThat(seen.subjectAltNames()).containsExactly(SELF);
  }

  @Test
  void theTestCaIsNotTrustedWithoutTheExtraStore() {
    // given the production constructor: the JVM's trust store only
    HttpCheckActivitiesImpl defaults = new HttpCheckActivitiesImpl(new SecretResolver(Map.of()));

    // when www (signed by the test CA) is checked
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> defaults.tls(new TlsCheckRequest("check-tls", WWW, sites.https, "127.0.0.1", 1)));

    // then it is not trusted
    assertThat(failure.getDetails().get(TlsCheckResult.class).trusted()).isFalse();
  }

  @Test
  void nothingListeningIsARetryableCheckFailureNamingTheAddress() {
    // given a port nothing listens on
    int closed = NginxTestServer.freePort();

    // when the check runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> checks.tls(new TlsCheckRequest("check-tls", WWW, closed, "127.0.0.1", 30)));

    // then it is retried later
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("127.0.0.1:" + closed)
        .contains("connection refused");
  }
}
