package dev.cutover.steps.notify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Removes resolved secret values from text that leaves the channel (a server's reply, an exception
 * message): a receiver or a library may echo what it was sent, and SMTP AUTH sends credentials in
 * base64, so both forms are removed.
 */
final class Redaction {
  private final List<String> values = new ArrayList<>();

  Redaction(String... secrets) {
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 3) {
        values.add(secret);
        values.add(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  String apply(String text) {
    String out = Objects.requireNonNullElse(text, "");
    for (String value : values) {
      out = out.replace(value, "***");
    }
    return out;
  }
}
