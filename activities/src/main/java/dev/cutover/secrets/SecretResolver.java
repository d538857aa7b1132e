package dev.cutover.secrets;

import dev.cutover.workflow.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns a secret reference from the plan ({@code env:NAME}, {@code file:/path}) into its value,
 * inside the worker only. Values are never logged; failures name the reference, not the value.
 */
public class SecretResolver {
  private final Map<String, String> environment;

  public SecretResolver() {
    this(System.getenv());
  }

  public SecretResolver(Map<String, String> environment) {
    this.environment = environment;
  }

  public String resolve(String reference) {
    if (reference == null) {
      throw ApplicationFailure.newNonRetryableFailure("a secret reference is missing", CutoverErrors.SECRET_UNAVAILABLE);
    }
    if (reference.startsWith("env:")) {
      String name = reference.substring(4);
      String value = environment.get(name);
      if (value == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "secret " + reference + ": the worker's environment has no variable " + name, CutoverErrors.SECRET_UNAVAILABLE);
      }
      return value;
    }
    if (reference.startsWith("file:")) {
      Path path = Path.of(reference.substring(5));
      try {
        return stripFinalNewline(Files.readString(path, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw ApplicationFailure.newNonRetryableFailure(
            "secret " + reference + ": cannot read the file on the worker (" + e.getClass().getSimpleName() + ")", CutoverErrors.SECRET_UNAVAILABLE);
      }
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "secret reference '" + reference + "' is neither env:NAME nor file:/path", CutoverErrors.INVALID_CONFIG);
  }

  private static String stripFinalNewline(String s) {
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }
}
