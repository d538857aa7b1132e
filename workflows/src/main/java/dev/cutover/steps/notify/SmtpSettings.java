package dev.cutover.steps.notify;

import java.util.List;

/**
 * How to send e-mail. Credentials are secret references such as {@code env:SMTP_PASSWORD} or {@code
 * file:/etc/cutover/smtp}, resolved by the worker; never values.
 *
 * @param host the SMTP server
 * @param port its port ({@code null} for 587)
 * @param startTls whether STARTTLS is required
 * @param userSecret reference to the user name; {@code null} without authentication
 * @param passwordSecret reference to the password; {@code null} without authentication
 * @param from the sender address
 * @param to the recipient addresses
 */
public record SmtpSettings(
    String host,
    Integer port,
    boolean startTls,
    String userSecret,
    String passwordSecret,
    String from,
    List<String> to) {

  public SmtpSettings {
    to = to == null ? List.of() : List.copyOf(to);
  }
}
