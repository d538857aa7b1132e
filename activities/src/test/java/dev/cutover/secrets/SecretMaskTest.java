package dev.cutover.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.OutputLines;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forms {@link SecretMask} masks, and masking before a long line is cut. */
class SecretMaskTest {
  static final String SECRET = "tok/Xy9+Qr7=Secr3t-Vw2";
  final SecretMask mask = SecretMask.of(List.of(SECRET));

  record Inner(String text, int n) {}

  record Outer(String name, List<Inner> items) {}

  @Test
  void masksTheValueInItsUsualEncodings() {
    // given the secret as programs print it
    String json = "{\"auth\":\"tok\\/Xy9+Qr7=Secr3t-Vw2\"}";
    String url = "q=" + URLEncoder.encode(SECRET, StandardCharsets.UTF_8) + "&x=1";
    String urlLowerHex = "q=tok%2fXy9%2bQr7%3dSecr3t-Vw2";
    String b64 = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    String b64url =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    String hex = HexFormat.of().formatHex(SECRET.getBytes(StandardCharsets.UTF_8));

    // when each is masked
    // then none of them is left
    for (String text :
        List.of(
            json, url, urlLowerHex, b64, b64url, hex, hex.toUpperCase(), "x " + SECRET + "\r")) {
      assertThat(mask.mask(text))
          .as(text)
          .contains(SecretMask.MASK)
          .doesNotContain(SECRET)
          .doesNotContain("Secr3t");
    }
    assertThat(mask.mask(json)).isEqualTo("{\"auth\":\"***\"}");
  }

  @Test
  void masksTheValueInsideALongerBase64TextAtEveryAlignment() {
    for (String before : List.of("", "a", "ab", "abc", "abcd")) {
      // given the secret inside a file that was base64-encoded as a whole
      String encoded =
          Base64.getEncoder()
              .encodeToString((before + SECRET + "\nmore text").getBytes(StandardCharsets.UTF_8));

      // when it is masked
      String masked = mask.mask(encoded);

      // then the characters that encode only the secret are gone: what is left does not decode to
      // it
      assertThat(masked).as(before).contains(SecretMask.MASK);
      String left = masked.replace(SecretMask.MASK, "");
      assertThat(left.length()).isLessThan(encoded.length() - 20);
    }
  }

  @Test
  void masksWhatDashsEchoPrintsOfBackslashEscapes() {
    // given a secret holding backslash escapes, which dash's echo interprets
    SecretMask escaped = SecretMask.of(List.of("Kq7Wz\\n9Lp-Rt4\\tEnd5"));

    // when the lines echo printed are masked
    // then each is
    assertThat(escaped.mask("Kq7Wz")).isEqualTo("***");
    assertThat(escaped.mask("9Lp-Rt4\tEnd5")).isEqualTo("***");
    assertThat(escaped.mask("one Kq7Wz\n9Lp-Rt4\tEnd5 two")).isEqualTo("one *** two");
  }

  @Test
  void masksEachLineOfAMultiLineSecretAndItsCrlfForm() {
    // given a key-like secret of several lines
    SecretMask key =
        SecretMask.of(List.of("-----BEGIN KEY-----\nAAAAB3NzaC1yc2E\n-----END KEY-----"));

    // when output shows it with CRLF, or one line of it
    // then it is masked
    assertThat(key.mask("-----BEGIN KEY-----\r\nAAAAB3NzaC1yc2E\r\n-----END KEY-----"))
        .isEqualTo("***");
    assertThat(key.mask("line: AAAAB3NzaC1yc2E")).isEqualTo("line: ***");
  }

  @Test
  void leavesShortValuesAndUnrelatedTextAlone() {
    // given a two-character secret and an ordinary line
    SecretMask tiny = SecretMask.of(List.of("ab"));

    // when text is masked
    // then a value too short to be told from other text is not masked, and other text is untouched
    assertThat(tiny.mask("abc cab")).isEqualTo("abc cab");
    assertThat(mask.mask("nothing secret here")).isEqualTo("nothing secret here");
    assertThat(SecretMask.NONE.mask("tok")).isEqualTo("tok");
  }

  @Test
  void aLineOverTheLimitIsMaskedBeforeItIsCut() throws Exception {
    // given output whose long line has the secret right across the point where it is cut
    String line = "x" + SECRET + "a".repeat(HostShell.TAIL_CHARS - 10);
    List<String> lines = new ArrayList<>();

    // when it is read into lines with the mask
    OutputLines.read(
        new ByteArrayInputStream(
            (line + "\nshort " + SECRET + "\n").getBytes(StandardCharsets.UTF_8)),
        mask,
        lines::add);

    // then the cut line keeps no part of the secret, and is no longer than the limit
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .hasSizeLessThanOrEqualTo(HostShell.TAIL_CHARS)
        .doesNotContain("Vw2")
        .endsWith("a".repeat(100));
    assertThat(lines.get(1)).isEqualTo("short " + SECRET);
  }

  @Test
  void aSecretArrivingInPiecesIsMaskedOnItsLine() throws Exception {
    // given a stream that delivers the secret in two reads, after a very long run of text
    String first = "b".repeat(3 * HostShell.TAIL_CHARS) + SECRET.substring(0, 7);
    String second = SECRET.substring(7) + "\n";
    var stream =
        new java.io.SequenceInputStream(
            new ByteArrayInputStream(first.getBytes(StandardCharsets.UTF_8)),
            new ByteArrayInputStream(second.getBytes(StandardCharsets.UTF_8)));
    List<String> lines = new ArrayList<>();

    // when it is read into lines
    OutputLines.read(stream, mask, lines::add);

    // then the secret's pieces were joined before the line was masked and cut
    assertThat(lines).containsExactly("b".repeat(HostShell.TAIL_CHARS - 3) + "***");
  }

  @Test
  void aFailureWithTheSecretInItsMessageDetailsAndCauseIsRebuiltMaskedWithItsTypeAndRetryability() {
    // given a failure an activity throws, quoting the secret JSON-escaped, with a cause quoting it
    // raw
    ApplicationFailure thrown =
        ApplicationFailure.newNonRetryableFailureWithCause(
            "check: body {\"t\":\"tok\\/Xy9+Qr7=Secr3t-Vw2\"}",
            "CheckFailed",
            new IllegalStateException("token " + SECRET),
            Map.of("excerpt", SECRET));

    // when it is masked
    RuntimeException masked = SecretMaskingInterceptor.maskThrowable(thrown, mask);

    // then nothing of the secret is left, and Temporal gets the same type and retryability
    ApplicationFailure failure = (ApplicationFailure) masked;
    assertThat(failure.getOriginalMessage()).isEqualTo("check: body {\"t\":\"***\"}");
    assertThat(failure.getType()).isEqualTo("CheckFailed");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getCause().getMessage()).contains("token ***").doesNotContain(SECRET);
    assertThat(failure.getDetails().get(0, Map.class)).isEqualTo(Map.of("excerpt", "***"));
    assertThat(failure.getStackTrace()).isEqualTo(thrown.getStackTrace());
  }

  @Test
  void aFailureWithoutASecretIsLeftAsItIs() {
    // given a failure that quotes no secret
    ApplicationFailure thrown =
        ApplicationFailure.newFailure("host old: exit code 3", "CommandFailed");

    // when it is masked
    // then it is the same exception
    assertThat(SecretMaskingInterceptor.maskThrowable(thrown, mask)).isSameAs(thrown);
  }

  @Test
  void aResultOrHeartbeatRecordIsRebuiltWithItsStringsMasked() {
    // given a result record that holds the secret in a nested string
    Outer result = new Outer("check", List.of(new Inner("got " + SECRET, 1), new Inner("fine", 2)));

    // when it is masked
    Outer masked = SecretMaskingInterceptor.maskObject(result, mask);

    // then only the string holding the secret changed
    assertThat(masked)
        .isEqualTo(new Outer("check", List.of(new Inner("got ***", 1), new Inner("fine", 2))));
    assertThat(SecretMaskingInterceptor.maskObject(new Inner("fine", 2), mask))
        .isEqualTo(new Inner("fine", 2));
  }
}
