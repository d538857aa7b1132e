package dev.cutover.steps.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A header value with a line break or another control character is refused before any request:
 * HttpClient would send it as spaces, a value nobody wrote. The URL names a port nothing listens
 * on, so a check that tried to connect would fail as a retryable CheckFailed instead.
 */
class HttpCheckHeaderValuesTest {
  private static final String TOKEN = "tok-Xy9-secret";

  @ParameterizedTest
  @ValueSource(
      strings = {"a\r\nX-Injected: 1", "a\nb", "a\rb", "a\u0000b", "a\u001b[2Jb", "a\u007fb"})
  void aLiteralValueWithAControlCharacterStopsTheCheckForGood(String value) throws IOException {
    // given
    HttpCheckRequest request = request(Map.of("X-Check", value), Map.of());

    // when
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks().http(request));

    // then
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("header X-Check: the value holds")
        .contains("one line without control characters");
  }

  @Test
  void aSecretValueWithALineBreakIsRefusedWithoutShowingTheSecret() throws IOException {
    // given: a secret that holds two lines
    HttpCheckRequest request = request(Map.of(), Map.of("X-Token", "env:TWO_LINES"));

    // when
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks().http(request));

    // then
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("header X-Token: the secret's value holds a line feed")
        .doesNotContain(TOKEN)
        .doesNotContain("second");
  }

  @Test
  void aTabIsAllowedAndTheCheckGoesOnToConnect() throws IOException {
    // given: a tab is legal inside a header value
    HttpCheckRequest request = request(Map.of("X-Check", "a\tb"), Map.of());

    // when
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checks().http(request));

    // then: the check went on to connect, and found nothing listening
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CHECK_FAILED);
  }

  private static HttpCheckActivitiesImpl checks() {
    return new HttpCheckActivitiesImpl(new SecretResolver(Map.of("TWO_LINES", TOKEN + "\nsecond")));
  }

  private static HttpCheckRequest request(
      Map<String, String> headers, Map<String, String> secretHeaders) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return new HttpCheckRequest(
        "check-web",
        "http://127.0.0.1:" + port + "/",
        200,
        null,
        Map.of(),
        headers,
        secretHeaders,
        false,
        Duration.ofSeconds(5));
  }
}
