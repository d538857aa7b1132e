package dev.cutover.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets are resolved in the worker from {@code env:NAME} or {@code file:/path}. A failure must
 * name the reference so the operator can fix the worker, and must never print the value, since
 * failure messages land in history, status and logs.
 */
class SecretResolverTest {
  static final String VALUE = "hunter2-Q9x!";

  @TempDir Path dir;

  @Test
  void envReferenceResolvesToTheVariable() {
    // given a worker environment holding the secret
    SecretResolver resolver = new SecretResolver(Map.of("DB_PASSWORD", VALUE));

    // when the plan's reference is resolved
    String value = resolver.resolve("env:DB_PASSWORD");

    // then the command gets the exact value
    assertThat(value).isEqualTo(VALUE);
  }

  @Test
  void fileReferenceResolvesToTheContentWithoutTheTrailingNewline() throws Exception {
    // given a secret file written the usual way, by an editor or echo, with a final newline
    Path file = dir.resolve("db.pw");
    Files.writeString(file, VALUE + "\n");

    // when it is resolved
    String value = new SecretResolver(Map.of()).resolve("file:" + file);

    // then the newline is not part of the password
    assertThat(value).isEqualTo(VALUE);
  }

  @Test
  void fileReferenceKeepsInnerNewlinesAndOnlyStripsOne() throws Exception {
    // given a multi-line secret (a key) ending with a newline
    Path file = dir.resolve("key");
    Files.writeString(file, "line1\nline2\n");

    // when it is resolved
    String value = new SecretResolver(Map.of()).resolve("file:" + file);

    // then only the final newline goes
    assertThat(value).isEqualTo("line1\nline2");
  }

  @Test
  void missingEnvVariableIsANonRetryableSecretUnavailableNamingTheReference() {
    // given a worker started without the variable (though a similar one holds a secret value)
    SecretResolver resolver = new SecretResolver(Map.of("DB_PASSWORD_OLD", VALUE));

    // when the plan's reference is resolved
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> resolver.resolve("env:DB_PASSWORD"));

    // then retrying cannot help (the worker's environment must change), the message says which
    // reference, and no secret value leaks into it
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("env:DB_PASSWORD").doesNotContain(VALUE);
  }

  @Test
  void missingFileIsANonRetryableSecretUnavailableNamingTheReference() {
    // given a reference to a file the worker does not have
    Path missing = dir.resolve("nope.pw");

    // when it is resolved
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> new SecretResolver(Map.of("X", VALUE)).resolve("file:" + missing));

    // then it fails for good, naming the file reference only
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("file:" + missing).doesNotContain(VALUE);
  }

  @Test
  void unreadableFileNeverPutsItsContentInTheMessage() throws Exception {
    // given a reference that names a directory holding a secret file, so reading it fails
    Path folder = Files.createDirectory(dir.resolve("secrets"));
    Files.writeString(folder.resolve("pw"), VALUE);

    // when it is resolved
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> new SecretResolver(Map.of()).resolve("file:" + folder));

    // then the error names the reference and the kind of problem, never a value
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.getOriginalMessage()).contains("file:" + folder).doesNotContain(VALUE);
  }

  @Test
  void referenceOfAnUnknownSchemeIsInvalidConfig() {
    // given a plan that names a secret by a scheme the worker does not know
    // when it is resolved
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> new SecretResolver(Map.of()).resolve("vault:db/password"));

    // then it is a plan error, not retried, and says what is expected
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("vault:db/password")
        .contains("env:NAME")
        .contains("file:/path");
  }

  @Test
  void fileSavedWithCrlfLosesItsCrlfAndOnlyOne() throws Exception {
    // given secret files saved on Windows: one line, and one with a blank line after it
    Path one = dir.resolve("crlf.pw");
    Files.write(one, (VALUE + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path two = dir.resolve("crlf2.pw");
    Files.write(two, (VALUE + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));

    // when they are resolved
    SecretResolver resolver = new SecretResolver(Map.of());

    // then exactly one final CRLF goes, as one final LF does
    assertThat(resolver.resolve("file:" + one)).isEqualTo(VALUE);
    assertThat(resolver.resolve("file:" + two)).isEqualTo(VALUE + "\r\n");
  }

  @Test
  void fifoIsRefusedAtOnceNamingTheSecret() throws Exception {
    // given a FIFO no one writes to, named as a secret file
    Path fifo = dir.resolve("pipe");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    // when it is resolved
    ApplicationFailure failure =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () ->
                catchThrowableOfType(
                    ApplicationFailure.class,
                    () -> new SecretResolver(Map.of()).resolve("file:" + fifo)));

    // then it fails for good without waiting for a writer, saying what is wrong with which secret
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("file:" + fifo)
        .contains("not a regular file");
  }

  @Test
  void deviceIsRefusedAtOnce() {
    // given a device that never ends, named as a secret file
    // when it is resolved
    ApplicationFailure failure =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(10),
            () ->
                catchThrowableOfType(
                    ApplicationFailure.class,
                    () -> new SecretResolver(Map.of()).resolve("file:/dev/zero")));

    // then it is refused, not read
    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.getOriginalMessage())
        .contains("file:/dev/zero")
        .contains("not a regular file");
  }

  @Test
  void fileOverTheCapIsRefusedWithItsSizeAndTheLimit() throws Exception {
    // given a secret file larger than any password or key
    Path big = dir.resolve("big");
    Files.write(big, new byte[SecretResolver.MAX_FILE_BYTES + 1]);

    // when it is resolved
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> new SecretResolver(Map.of()).resolve("file:" + big));

    // then it is refused for good, saying both sizes
    assertThat(failure).isNotNull();
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("file:" + big)
        .contains(String.valueOf(SecretResolver.MAX_FILE_BYTES + 1))
        .contains(String.valueOf(SecretResolver.MAX_FILE_BYTES));
  }

  @Test
  void fileThatIsNotUtf8IsRefused() throws Exception {
    // given a secret file in Latin-1
    Path latin = dir.resolve("latin1");
    Files.write(latin, new byte[] {'p', 'w', (byte) 0xe9, '\n'});

    // when it is resolved
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> new SecretResolver(Map.of()).resolve("file:" + latin));

    // then it says so rather than hand on a mangled value
    assertThat(failure).isNotNull();
    assertThat(failure.getOriginalMessage()).contains("file:" + latin).contains("not UTF-8");
  }
}
