package dev.cutover.steps.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.testing.WebhookReceiver;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The activity inside Temporal's test environment: heartbeats carry the delivered channels to the
 * next attempt.
 */
class NotifyActivitiesImplTest {
  static final String TOKEN_PATH = "/services/T0001/B0002/s3cr3tT0ken";
  WebhookReceiver receiver;
  GreenMail smtp;
  TestActivityEnvironment temporal;
  NotifyActivities activities;
  List<NotifyResult> beats = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    receiver = WebhookReceiver.start();
    smtp =
        new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort())
            .withConfiguration(
                GreenMailConfiguration.aConfig().withUser("notifier", "Right-Pa55word"));
    smtp.start();
    Map<String, String> env =
        Map.of(
            "HOOK", receiver.url(TOKEN_PATH), "SMTP_USER", "notifier", "SMTP_PW", "Right-Pa55word");
    temporal = TestActivityEnvironment.newInstance();
    temporal.registerActivitiesImplementations(new NotifyActivitiesImpl(new SecretResolver(env)));
    temporal.setActivityHeartbeatListener(NotifyResult.class, beats::add);
    activities =
        temporal.newActivityStub(
            NotifyActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
  }

  @AfterEach
  void stop() {
    temporal.close();
    smtp.stop();
    receiver.close();
  }

  @Test
  void aRetryResendsOnlyTheChannelThatFailed() {
    // given a webhook that fails its first request, and a working mail server
    receiver.failNext(1, 502);
    NotifyRequest request =
        NotifyTestRequests.gateOpened(
            "env:HOOK",
            NotifyTestRequests.smtp(
                smtp.getSmtp().getPort(), "env:SMTP_USER", "env:SMTP_PW", "ops@example.org"));

    // when the first attempt runs
    ActivityFailure first =
        catchThrowableOfType(ActivityFailure.class, () -> activities.send(request));

    // then it failed retryably after mailing, and its heartbeat recorded the mail as delivered
    ApplicationFailure cause = (ApplicationFailure) first.getCause();
    assertThat(cause.isNonRetryable()).isFalse();
    assertThat(cause.getType()).isEqualTo(NotifyErrors.UNDELIVERED);
    assertThat(cause.getOriginalMessage()).contains("HTTP 502", "email delivered");
    assertThat(smtp.getReceivedMessages()).hasSize(1);
    NotifyResult lastBeat = beats.get(beats.size() - 1);
    assertThat(lastBeat.deliveries())
        .extracting(NotifyDelivery::channel)
        .containsExactly(NotifyChannel.EMAIL);

    // when the retry runs with that heartbeat, as Temporal hands it to the next attempt
    temporal.setHeartbeatDetails(lastBeat);
    NotifyResult result = activities.send(request);

    // then only the webhook was sent again, and both channels report delivered
    assertThat(receiver.received()).hasSize(2);
    assertThat(receiver.received())
        .extracting(WebhookReceiver.Received::idempotencyKey)
        .containsOnly("mig-shop/gate/switch/1");
    assertThat(smtp.getReceivedMessages()).hasSize(1);
    assertThat(result.deliveries())
        .extracting(NotifyDelivery::channel)
        .containsExactlyInAnyOrder(NotifyChannel.WEBHOOK, NotifyChannel.EMAIL);
    assertThat(result.deliveries()).allMatch(NotifyDelivery::delivered);
  }

  @Test
  void noSecretReachesWhatTheWorkflowSees() {
    // given a webhook that keeps failing and echoes its path (the token)
    receiver.failNext(5, 500);
    NotifyRequest request =
        NotifyTestRequests.gateOpened(
            "env:HOOK",
            NotifyTestRequests.smtp(
                smtp.getSmtp().getPort(), "env:SMTP_USER", "env:SMTP_PW", "ops@example.org"));

    // when the activity fails
    ActivityFailure failure =
        catchThrowableOfType(ActivityFailure.class, () -> activities.send(request));

    // then neither the failure nor its details (as they would be stored in the history) hold a
    // secret
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    NotifyResult details = cause.getDetails().get(NotifyResult.class);
    String stored =
        new String(
            DefaultDataConverter.newDefaultInstance()
                .toPayload(details)
                .orElseThrow()
                .getData()
                .toByteArray(),
            StandardCharsets.UTF_8);
    for (String text : List.of(cause.getOriginalMessage(), stored, beats.toString())) {
      assertThat(text)
          .doesNotContain("s3cr3tT0ken", receiver.url(""), "Right-Pa55word", "notifier");
    }
    assertThat(details.deliveries())
        .anySatisfy(
            d -> {
              assertThat(d.channel()).isEqualTo(NotifyChannel.WEBHOOK);
              assertThat(d.delivered()).isFalse();
              assertThat(d.error()).contains("HTTP 500");
            });
  }
}
