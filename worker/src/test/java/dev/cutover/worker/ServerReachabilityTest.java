package dev.cutover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ServerReachabilityTest {
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
  private final Logger poller = context.getLogger("io.temporal.internal.worker.BasePoller");
  private final ListAppender<ILoggingEvent> said = new ListAppender<>();
  private final MutableClock clock = new MutableClock();
  private final AtomicBoolean healthy = new AtomicBoolean(false);
  private final ServerReachability reachability =
      new ServerReachability("127.0.0.1:7233", healthy::get, clock);
  private final UnreachableServerFilter filter =
      new UnreachableServerFilter(reachability::unreachable);

  @BeforeEach
  void listen() {
    said.start();
    context.getLogger(ServerReachability.class).addAppender(said);
  }

  @AfterEach
  void stopListening() {
    context.getLogger(ServerReachability.class).detachAppender(said);
  }

  @Test
  void anOutageIsOneLineAndItsEndAnother() {
    // given the server is down: every poller thread fails its polls with UNAVAILABLE
    StatusRuntimeException refused =
        Status.UNAVAILABLE.withDescription("io exception").asRuntimeException();
    for (int i = 0; i < 500; i++) {
      // when the SDK logs each failure (the throwable as slf4j's trailing parameter)
      FilterReply reply =
          filter.decide(
              null,
              poller,
              Level.WARN,
              "Failure in poller thread {}",
              new Object[] {"poller-" + i, refused},
              null);
      assertThat(reply).isEqualTo(FilterReply.DENY);
      clock.advance(Duration.ofMillis(20));
    }
    reachability.probe();
    // and it comes back
    healthy.set(true);
    clock.advance(Duration.ofSeconds(2));
    reachability.probe();

    // then two lines: unreachable, and back after 12 s with the 500 failures counted
    assertThat(messages())
        .containsExactly(
            "Temporal server at 127.0.0.1:7233 is unreachable (UNAVAILABLE: io exception); the worker retries and logs when it is back",
            "Temporal server at 127.0.0.1:7233 is reachable again after 12 s (500 failed calls not logged)");
    assertThat(reachability.isDown()).isFalse();
  }

  @Test
  void aLongOutageIsRemindedOfOncePerMinute() {
    // given an outage
    filter.decide(
        null, poller, Level.WARN, "Failure", null, Status.UNAVAILABLE.asRuntimeException());
    // when it lasts 150 s with a probe every 2 s
    for (int s = 0; s < 150; s += 2) {
      clock.advance(Duration.ofSeconds(2));
      reachability.probe();
    }
    // then the first line and two reminders
    assertThat(messages()).hasSize(3);
    assertThat(messages().get(1))
        .isEqualTo("Temporal server at 127.0.0.1:7233 is still unreachable, for 60 s");
    assertThat(reachability.isDown()).isTrue();
  }

  @Test
  void otherFailuresAndOtherLoggersAreLoggedAsBefore() {
    // given failures that are not an unreachable server, or not from the SDK or gRPC
    StatusRuntimeException denied = Status.PERMISSION_DENIED.asRuntimeException();
    Logger ours = context.getLogger("dev.cutover.steps.rsync.RsyncActivitiesImpl");

    // when they are logged, then the filter leaves them alone
    assertThat(filter.decide(null, poller, Level.WARN, "Failure", new Object[] {denied}, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, poller, Level.WARN, "no throwable", new Object[] {"x"}, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(
                null, ours, Level.WARN, "Failure", null, Status.UNAVAILABLE.asRuntimeException()))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(
                null, poller, Level.INFO, "Failure", null, Status.UNAVAILABLE.asRuntimeException()))
        .isEqualTo(FilterReply.NEUTRAL);
    // and an UNAVAILABLE wrapped in another exception is still recognised
    assertThat(
            UnreachableServerFilter.unavailable(
                new RuntimeException(
                    "poll", Status.UNAVAILABLE.withDescription("x").asRuntimeException())))
        .isEqualTo("UNAVAILABLE: x");
    assertThat(reachability.isDown()).isFalse();
  }

  private List<String> messages() {
    return said.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-12-06T20:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
