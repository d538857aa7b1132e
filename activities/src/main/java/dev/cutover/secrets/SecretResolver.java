package dev.cutover.secrets;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/**
 * Turns a secret reference from the plan ({@code env:NAME}, {@code file:/path}) into its value,
 * inside the worker only. Values are never logged; failures name the reference, not the value. Each
 * value resolved is noted in {@link ResolvedSecrets}, so the worker's log masks it whoever logs it.
 */
public class SecretResolver {
  /** A password, token or private key fits with room to spare; a larger file is a mistake. */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  private final Map<String, String> environment;

  public SecretResolver() {
    this(System.getenv());
  }

  public SecretResolver(Map<String, String> environment) {
    this.environment = environment;
  }

  public String resolve(String reference) {
    if (reference == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a secret reference is missing", CutoverErrors.SECRET_UNAVAILABLE);
    }
    if (reference.startsWith("env:")) {
      String name = reference.substring(4);
      String value = environment.get(name);
      if (value == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "secret " + reference + ": the worker's environment has no variable " + name,
            CutoverErrors.SECRET_UNAVAILABLE);
      }
      ResolvedSecrets.record(value);
      return value;
    }
    if (reference.startsWith("file:")) {
      String value = readFile(reference, Path.of(reference.substring(5)));
      ResolvedSecrets.record(value);
      return value;
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "secret reference '" + reference + "' is neither env:NAME nor file:/path",
        CutoverErrors.INVALID_CONFIG);
  }

  /**
   * The value a reference resolves to, or {@code null} when it cannot be resolved: for masking the
   * plan's other secrets, where a secret this step does not use must not fail it.
   */
  public String resolveOrNull(String reference) {
    try {
      return resolve(reference);
    } catch (ApplicationFailure e) {
      return null;
    }
  }

  /**
   * Reads the file as UTF-8 bytes and drops one final LF or CRLF, as an editor or {@code echo}
   * writes it. Only a regular file up to {@link #MAX_FILE_BYTES} is read: a FIFO would block the
   * worker's thread until someone writes to it, a device may never end.
   */
  private static String readFile(String reference, Path path) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw unavailable(
          reference, "cannot read the file on the worker (" + e.getClass().getSimpleName() + ")");
    }
    if (!attributes.isRegularFile()) {
      throw unavailable(
          reference,
          "is not a regular file on the worker ("
              + kind(attributes)
              + "); a secret file must be a plain file");
    }
    if (attributes.size() > MAX_FILE_BYTES) {
      throw unavailable(
          reference,
          "the file has "
              + attributes.size()
              + " bytes, more than the "
              + MAX_FILE_BYTES
              + " a secret may have");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      // Read one byte more than allowed: the file may have grown since its size was read.
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw unavailable(
          reference, "cannot read the file on the worker (" + e.getClass().getSimpleName() + ")");
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw unavailable(
          reference, "the file has more than the " + MAX_FILE_BYTES + " bytes a secret may have");
    }
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
      if (end > 0 && bytes[end - 1] == '\r') {
        end--;
      }
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      return utf8.decode(ByteBuffer.wrap(bytes, 0, end)).toString();
    } catch (CharacterCodingException e) {
      throw unavailable(reference, "the file is not UTF-8 text");
    }
  }

  private static String kind(BasicFileAttributes a) {
    return a.isDirectory() ? "a directory" : "a FIFO, socket or device";
  }

  private static ApplicationFailure unavailable(String reference, String why) {
    return ApplicationFailure.newNonRetryableFailure(
        "secret " + reference + ": " + why, CutoverErrors.SECRET_UNAVAILABLE);
  }
}
