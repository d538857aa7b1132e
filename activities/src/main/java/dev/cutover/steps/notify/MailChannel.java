package dev.cutover.steps.notify;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Sends the notification as a plain-text e-mail over SMTP, with STARTTLS required when the plan
 * asks for it (never silently sent in clear), and the credentials resolved from their references
 * here. The request's key is the {@code Message-ID} (and an {@code X-Cutover-Key} header), so a
 * mail sent again after a retry is recognisably the same message.
 */
final class MailChannel {
  static final int DEFAULT_PORT = 587;
  private final SecretResolver secrets;
  private final Duration connectTimeout;
  private final Duration ioTimeout;

  MailChannel(SecretResolver secrets, Duration connectTimeout, Duration ioTimeout) {
    this.secrets = secrets;
    this.connectTimeout = connectTimeout;
    this.ioTimeout = ioTimeout;
  }

  void deliver(NotifyRequest request) {
    SmtpSettings smtp = request.smtp();
    int port = smtp.port() == null ? DEFAULT_PORT : smtp.port();
    String server = "SMTP server " + smtp.host() + ":" + port;
    InternetAddress from = address(smtp.from(), "from");
    if (smtp.to().isEmpty()) {
      throw ChannelFailure.permanent(
          "e-mail: no recipient (smtp.to is empty)", CutoverErrors.INVALID_CONFIG);
    }
    InternetAddress[] to =
        smtp.to().stream().map(a -> address(a, "to")).toArray(InternetAddress[]::new);
    boolean auth = smtp.userSecret() != null || smtp.passwordSecret() != null;
    String user = auth ? secrets.resolve(smtp.userSecret()) : null;
    String password = auth ? secrets.resolve(smtp.passwordSecret()) : null;
    Redaction redaction = new Redaction(user, password);

    Session session = Session.getInstance(properties(smtp, port, auth));
    try {
      MimeMessage message = new KeyedMessage(session, messageId(request.key(), from));
      message.setFrom(from);
      message.setRecipients(Message.RecipientType.TO, to);
      message.setSubject("[cutover] " + oneLine(title(request)), StandardCharsets.UTF_8.name());
      message.setSentDate(new Date());
      message.setHeader("X-Cutover-Key", oneLine(request.key()));
      message.setText(body(request), StandardCharsets.UTF_8.name());
      try (Transport transport = session.getTransport("smtp")) {
        transport.connect(smtp.host(), port, user, password);
        transport.sendMessage(message, message.getAllRecipients());
      }
    } catch (AuthenticationFailedException e) {
      throw ChannelFailure.permanent(
          "e-mail: the "
              + server
              + " refused the credentials ("
              + smtp.userSecret()
              + ", "
              + smtp.passwordSecret()
              + "); check the user name and password these references hold",
          CutoverErrors.AUTH_FAILED);
    } catch (MessagingException e) {
      throw classify(e, server, redaction);
    }
  }

  private Properties properties(SmtpSettings smtp, int port, boolean auth) {
    Properties props = new Properties();
    props.put("mail.smtp.host", smtp.host());
    props.put("mail.smtp.port", String.valueOf(port));
    props.put("mail.smtp.auth", String.valueOf(auth));
    props.put("mail.smtp.connectiontimeout", String.valueOf(connectTimeout.toMillis()));
    props.put("mail.smtp.timeout", String.valueOf(ioTimeout.toMillis()));
    props.put("mail.smtp.writetimeout", String.valueOf(ioTimeout.toMillis()));
    if (smtp.startTls()) {
      props.put("mail.smtp.starttls.enable", "true");
      props.put("mail.smtp.starttls.required", "true");
      props.put("mail.smtp.ssl.checkserveridentity", "true");
    }
    return props;
  }

  private static ChannelFailure classify(MessagingException e, String server, Redaction redaction) {
    Integer code = replyCode(e);
    if (code != null) {
      String what =
          e instanceof SMTPAddressFailedException
              ? "refused a recipient"
              : e instanceof SMTPSenderFailedException
                  ? "refused the sender"
                  : "refused the message";
      String text =
          "e-mail: the "
              + server
              + " "
              + what
              + " ("
              + redaction.apply(oneLine(e.getMessage()))
              + ")";
      // SMTP's 4xx replies are transient by definition (greylisting, a full queue); 5xx are final.
      return code >= 400 && code < 500
          ? ChannelFailure.retryable(text + "; retried")
          : ChannelFailure.permanent(
              text + "; check the addresses in the plan's smtp settings",
              CutoverErrors.INVALID_CONFIG);
    }
    if (e instanceof SendFailedException) {
      return ChannelFailure.permanent(
          "e-mail: the "
              + server
              + " refused the addresses ("
              + redaction.apply(oneLine(e.getMessage()))
              + ")",
          CutoverErrors.INVALID_CONFIG);
    }
    Throwable cause = rootCause(e);
    if (cause instanceof SSLException) {
      return ChannelFailure.permanent(
          "e-mail: the TLS handshake with the "
              + server
              + " failed ("
              + cause.getClass().getSimpleName()
              + "); is its certificate trusted by the worker's Java?",
          CutoverErrors.TRANSPORT_UNAVAILABLE);
    }
    if (cause instanceof ConnectException) {
      return ChannelFailure.retryable("e-mail: the " + server + " refused the connection; retried");
    }
    if (cause instanceof SocketTimeoutException) {
      return ChannelFailure.retryable("e-mail: the " + server + " did not answer in time; retried");
    }
    if (cause instanceof UnknownHostException) {
      return ChannelFailure.retryable(
          "e-mail: the " + server + "'s name does not resolve; retried");
    }
    String message = redaction.apply(oneLine(e.getMessage()));
    if (message.contains("STARTTLS")) {
      return ChannelFailure.permanent(
          "e-mail: the "
              + server
              + " does not offer STARTTLS, which the plan requires ("
              + message
              + "); use its submission port or set startTls: false only for a server on a trusted network",
          CutoverErrors.TRANSPORT_UNAVAILABLE);
    }
    return ChannelFailure.retryable(
        "e-mail: sending through the " + server + " failed (" + message + "); retried");
  }

  private static Integer replyCode(MessagingException e) {
    for (Exception next = e;
        next != null;
        next = next instanceof MessagingException m ? m.getNextException() : null) {
      if (next instanceof SMTPSendFailedException s) {
        return s.getReturnCode();
      }
      if (next instanceof SMTPAddressFailedException s) {
        return s.getReturnCode();
      }
      if (next instanceof SMTPSenderFailedException s) {
        return s.getReturnCode();
      }
    }
    return null;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static InternetAddress address(String text, String field) {
    try {
      InternetAddress address = new InternetAddress(text == null ? "" : text, true);
      address.validate();
      if (!address.getAddress().contains("@")) {
        throw new AddressException("no domain");
      }
      return address;
    } catch (AddressException e) {
      throw ChannelFailure.permanent(
          "e-mail: '" + text + "' in smtp." + field + " is not an e-mail address",
          CutoverErrors.INVALID_CONFIG);
    }
  }

  /** {@code <key@domain>} with the key made safe for a message id, and the sender's domain. */
  static String messageId(String key, InternetAddress from) {
    String local = key == null ? "notification" : key.replaceAll("[^A-Za-z0-9._-]", ".");
    String address = from.getAddress();
    return "<" + local + ".cutover@" + address.substring(address.indexOf('@') + 1) + ">";
  }

  private static String body(NotifyRequest request) {
    StringBuilder text = new StringBuilder();
    if (request.message() != null && !request.message().isBlank()) {
      text.append(request.message().strip()).append("\n\n");
    }
    Map<String, String> fields = new TreeMap<>(request.fields());
    fields.forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
    if (!fields.isEmpty()) {
      text.append('\n');
    }
    if (request.migration() != null) {
      text.append("migration: ").append(request.migration()).append('\n');
    }
    if (request.step() != null) {
      text.append("step: ").append(request.step()).append('\n');
    }
    text.append("event: ").append(request.event()).append('\n');
    return text.toString();
  }

  private static String title(NotifyRequest request) {
    return request.title() == null || request.title().isBlank()
        ? String.valueOf(request.event())
        : request.title();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("[\\r\\n]+", " ").strip();
  }

  /**
   * Keeps the Message-ID it was given: Jakarta Mail would otherwise make a new one at every send.
   */
  private static final class KeyedMessage extends MimeMessage {
    private final String id;

    KeyedMessage(Session session, String id) {
      super(session);
      this.id = id;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", id);
    }
  }
}
