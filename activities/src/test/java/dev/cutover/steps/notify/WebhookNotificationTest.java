package dev.cutover.steps.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.WebhookReceiver;
import io.temporal.failure.ApplicationFailure;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook channel against a real HTTP receiver on 127.0.0.1. */
class WebhookNotificationTest {
  static final String TOKEN_PATH = "/services/T0001/B0002/s3cr3tT0ken";
  WebhookReceiver receiver;
  List<NotifyResult> progress = new ArrayList<>();

  @BeforeEach
  void start() {
    receiver = WebhookReceiver.start();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  NotificationSender sender(Map<String, String> env, Duration timeout) {
    SecretResolver secrets = new SecretResolver(env);
    return new NotificationSender(
        new WebhookChannel(secrets, timeout, timeout),
        new MailChannel(secrets, timeout, timeout),
        Clock.systemUTC());
  }

  NotificationSender sender() {
    return sender(Map.of("HOOK", receiver.url(TOKEN_PATH)), Duration.ofSeconds(5));
  }

  @Test
  void aGateNotificationArrivesAsSlackJsonWithTheKeyInTheHeaders() throws Exception {
    // when a notification goes to the webhook
    NotifyResult result =
        sender().send(NotifyTestRequests.gateOpened("env:HOOK", null), null, progress::add);

    // then the receiver got one POST of Slack's format, carrying the key
    assertThat(result.deliveries())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.channel()).isEqualTo(NotifyChannel.WEBHOOK);
              assertThat(d.delivered()).isTrue();
              assertThat(d.error()).isNull();
            });
    WebhookReceiver.Received request = receiver.received().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo(TOKEN_PATH);
    assertThat(request.contentType()).startsWith("application/json");
    assertThat(request.idempotencyKey()).isEqualTo("mig-shop/gate/switch/1");
    assertThat(request.cutoverKey()).isEqualTo("mig-shop/gate/switch/1");
    JsonNode json = new ObjectMapper().readTree(request.body());
    assertThat(json.get("text").asText())
        .startsWith("Gate 'switch' waits for approval\n")
        .contains("&lt;Approve&gt;", "&amp; ready");
    assertThat(json.get("blocks").get(0).get("type").asText()).isEqualTo("header");
    assertThat(json.get("blocks").get(0).get("text").get("text").asText())
        .isEqualTo("Gate 'switch' waits for approval");
    assertThat(json.get("blocks").findValues("fields"))
        .singleElement()
        .satisfies(
            fields -> {
              assertThat(fields.get(0).get("text").asText())
                  .isEqualTo("*approve with*\ncutover approve mig-shop switch");
              assertThat(fields.get(1).get("text").asText()).isEqualTo("*gate*\nswitch");
            });
    assertThat(progress)
        .singleElement()
        .satisfies(
            p ->
                assertThat(p.deliveries())
                    .extracting(NotifyDelivery::channel)
                    .containsExactly(NotifyChannel.WEBHOOK));
  }

  @Test
  void aReceiverAnswering503IsRetriedAndTheMessageHoldsNoPartOfTheUrl() {
    // given a receiver that fails the next request and echoes the path (the webhook's token) in its
    // reply
    receiver.failNext(1, 503);

    // when the notification is sent
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                sender()
                    .send(NotifyTestRequests.gateOpened("env:HOOK", null), null, progress::add));

    // then the failure is retryable, says what happened, and names the reference, not the URL
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getType()).isEqualTo(NotifyErrors.UNDELIVERED);
    assertThat(failure.getOriginalMessage())
        .contains("HTTP 503", "env:HOOK", "receiver_failed at ***")
        .doesNotContain("s3cr3tT0ken", receiver.url(""));
    assertThat(progress).isEmpty();
  }

  @Test
  void aRevokedWebhookIsNotRetried() {
    // given a receiver answering 404 (Slack's answer for a removed hook)
    receiver.failNext(1, 404);

    // when the notification is sent
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                sender()
                    .send(NotifyTestRequests.gateOpened("env:HOOK", null), null, progress::add));

    // then retrying is pointless: the secret must change
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage())
        .contains("HTTP 404", "env:HOOK")
        .doesNotContain("s3cr3tT0ken");
  }

  @Test
  void aRefusedConnectionIsRetried() throws Exception {
    // given a port nobody listens on
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed + TOKEN_PATH;

    // when the notification is sent there
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                sender(Map.of("HOOK", url), Duration.ofSeconds(5))
                    .send(NotifyTestRequests.gateOpened("env:HOOK", null), null, progress::add));

    // then it is retryable and the URL is not in the message
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .contains("refused")
        .doesNotContain(url, "s3cr3tT0ken", String.valueOf(closed));
  }

  @Test
  void aReceiverThatDoesNotAnswerInTimeIsRetried() {
    // given a receiver slower than the timeout
    receiver.answerAfter(Duration.ofSeconds(3));

    // when the notification is sent with a short timeout
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                sender(Map.of("HOOK", receiver.url(TOKEN_PATH)), Duration.ofMillis(300))
                    .send(NotifyTestRequests.gateOpened("env:HOOK", null), null, progress::add));

    // then it is retryable
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("did not answer in time");
  }

  @Test
  void aMissingSecretIsNotRetried() {
    // when the reference names a variable the worker does not have
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                sender()
                    .send(
                        NotifyTestRequests.gateOpened("env:NO_SUCH_HOOK", null),
                        null,
                        progress::add));

    // then the failure is final and names the reference
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.getOriginalMessage()).contains("env:NO_SUCH_HOOK");
    assertThat(receiver.received()).isEmpty();
  }

  @Test
  void aSecretThatHoldsNoUrlIsNotRetriedAndNotQuoted() {
    // given a secret holding something that is not a URL (a token pasted alone)
    NotificationSender sender =
        sender(Map.of("HOOK", "xoxb-not a url-T0k3n"), Duration.ofSeconds(5));

    // when the notification is sent
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                sender.send(NotifyTestRequests.gateOpened("env:HOOK", null), null, progress::add));

    // then it is a configuration error that does not repeat the value
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(failure.getOriginalMessage())
        .contains("env:HOOK", "http(s) URL")
        .doesNotContain("T0k3n");
  }
}
