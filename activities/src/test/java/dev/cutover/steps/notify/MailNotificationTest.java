package dev.cutover.steps.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The e-mail channel against a real SMTP server (GreenMail) on 127.0.0.1. */
class MailNotificationTest {
  static final Map<String, String> ENV =
      Map.of("SMTP_USER", "notifier", "SMTP_PW", "Right-Pa55word", "WRONG_PW", "Wrong-Pa55word");
  GreenMail smtp;
  List<NotifyResult> progress = new ArrayList<>();
  NotificationSender sender;

  @BeforeEach
  void start() {
    smtp =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(
                GreenMailConfiguration.aConfig().withUser("notifier", "Right-Pa55word"));
    smtp.start();
    SecretResolver secrets = new SecretResolver(ENV);
    Duration timeout = Duration.ofSeconds(5);
    sender =
        new NotificationSender(
            new WebhookChannel(secrets, timeout, timeout),
            new MailChannel(secrets, timeout, timeout),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    smtp.stop();
  }

  int port() {
    return smtp.getSmtp().getPort();
  }

  @Test
  void aGateNotificationArrivesAsMailKeyedByTheNotificationsKey() throws Exception {
    // when a notification is mailed to two people through an authenticating server
    NotifyResult result =
        sender.send(
            NotifyTestRequests.gateOpened(
                null,
                NotifyTestRequests.smtp(
                    port(),
                    "env:SMTP_USER",
                    "env:SMTP_PW",
                    "ops@example.org",
                    "Dana <dana@example.org>")),
            null,
            progress::add);

    // then both got one message with the title, the text and the fields, keyed by the
    // notification's key
    assertThat(result.deliveries())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.channel()).isEqualTo(NotifyChannel.EMAIL);
              assertThat(d.delivered()).isTrue();
            });
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(2);
    MimeMessage mail = received[0];
    assertThat(mail.getSubject()).isEqualTo("[cutover] Gate 'switch' waits for approval");
    assertThat(mail.getFrom()[0].toString()).isEqualTo("cutover@example.org");
    assertThat(Arrays.stream(mail.getRecipients(Message.RecipientType.TO)).map(Object::toString))
        .containsExactly("ops@example.org", "Dana <dana@example.org>");
    assertThat(mail.getMessageID()).isEqualTo("<mig-shop.gate.switch.1.cutover@example.org>");
    assertThat(mail.getHeader("X-Cutover-Key")).containsExactly("mig-shop/gate/switch/1");
    assertThat(((String) mail.getContent()).replace("\r\n", "\n"))
        .contains(
            "The downtime window is ready.",
            "approve with: cutover approve mig-shop switch",
            "gate: switch",
            "migration: mig-shop");
    assertThat(progress).hasSize(1);
  }

  @Test
  void aRefusedPasswordIsAnAuthenticationFailureThatNamesReferencesOnly() {
    // when the password the reference holds is wrong
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                sender.send(
                    NotifyTestRequests.gateOpened(
                        null,
                        NotifyTestRequests.smtp(
                            port(), "env:SMTP_USER", "env:WRONG_PW", "ops@example.org")),
                    null,
                    progress::add));

    // then it is final, names the server and the references, and holds neither the user nor the
    // password
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.AUTH_FAILED);
    assertThat(failure.getOriginalMessage())
        .contains("127.0.0.1:" + port(), "env:SMTP_USER", "env:WRONG_PW")
        .doesNotContain("Wrong-Pa55word", "notifier");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aMalformedAddressIsNotRetried() {
    // when a recipient is not an address
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                sender.send(
                    NotifyTestRequests.gateOpened(
                        null, NotifyTestRequests.smtp(port(), null, null, "ops at example.org")),
                    null,
                    progress::add));

    // then the configuration must change
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage()).contains("'ops at example.org'", "smtp.to");
  }

  @Test
  void requiredStartTlsIsNeverDowngradedToPlainText() {
    // given a plan that requires STARTTLS, and a server that cannot give the worker a trusted TLS
    // session
    SmtpSettings settings =
        new SmtpSettings(
            "127.0.0.1",
            port(),
            true,
            "env:SMTP_USER",
            "env:SMTP_PW",
            "cutover@example.org",
            List.of("ops@example.org"));

    // when the notification is mailed
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> sender.send(NotifyTestRequests.gateOpened(null, settings), null, progress::add));

    // then nothing went out in clear, and retrying will not change that
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.TRANSPORT_UNAVAILABLE);
    assertThat(failure.getOriginalMessage()).doesNotContain("Right-Pa55word");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aServerThatIsDownIsRetried() throws Exception {
    // given a port nobody listens on
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }

    // when the notification is mailed there
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                sender.send(
                    NotifyTestRequests.gateOpened(
                        null, NotifyTestRequests.smtp(closed, null, null, "ops@example.org")),
                    null,
                    progress::add));

    // then it is retryable
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getType()).isEqualTo(NotifyErrors.UNDELIVERED);
    assertThat(failure.getOriginalMessage()).contains("refused the connection");
  }
}
