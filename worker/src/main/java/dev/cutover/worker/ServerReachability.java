package dev.cutover.worker;

import ch.qos.logback.classic.LoggerContext;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Says in a few lines that the Temporal server is unreachable and when it is back, instead of the
 * SDK's stack trace per failed poll ({@link UnreachableServerFilter} takes those). The first
 * failure logs one line; while the server stays away, a health check every {@link #PROBE_EVERY} and
 * one reminder every {@link #REMIND_EVERY}; the first health check that passes logs the outage's
 * length and how many failures were not logged.
 */
@Component
public class ServerReachability implements InitializingBean, DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(ServerReachability.class);

  /**
   * Often enough that "back" is logged within seconds of the server's return, rare enough to cost
   * nothing.
   */
  static final Duration PROBE_EVERY = Duration.ofSeconds(2);

  /** A long outage still shows in the log now and then, so a reader sees it is not over. */
  static final Duration REMIND_EVERY = Duration.ofSeconds(60);

  private final String target;
  private final BooleanSupplier healthy;
  private final Clock clock;
  private final Object lock = new Object();
  private final AtomicInteger notLogged = new AtomicInteger();
  private ScheduledExecutorService prober;
  private UnreachableServerFilter filter;
  private Instant downSince;
  private Instant remindedAt;

  @Autowired
  public ServerReachability(
      WorkflowServiceStubs stubs, @Value("${spring.temporal.connection.target}") String target) {
    this(target, () -> isServing(stubs), Clock.systemUTC());
  }

  ServerReachability(String target, BooleanSupplier healthy, Clock clock) {
    this.target = target;
    this.healthy = healthy;
    this.clock = clock;
  }

  @Override
  public void afterPropertiesSet() {
    filter = new UnreachableServerFilter(this::unreachable);
    prober =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "temporal-reachability");
              t.setDaemon(true);
              return t;
            });
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      context.addTurboFilter(filter);
    }
    prober.scheduleWithFixedDelay(
        this::probe, PROBE_EVERY.toMillis(), PROBE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void destroy() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getTurboFilterList().remove(filter);
    }
    prober.shutdownNow();
  }

  /**
   * A failure the SDK or gRPC would have logged: the first of an outage is logged, the rest
   * counted.
   */
  void unreachable(String reason) {
    synchronized (lock) {
      notLogged.incrementAndGet();
      if (downSince != null) {
        return;
      }
      downSince = clock.instant();
      remindedAt = downSince;
    }
    log.warn(
        "Temporal server at {} is unreachable ({}); the worker retries and logs when it is back",
        target,
        reason);
  }

  /**
   * While an outage lasts: a health check; logs the server's return, or now and then that it is
   * still away.
   */
  void probe() {
    Instant since;
    synchronized (lock) {
      since = downSince;
    }
    if (since == null) {
      return;
    }
    boolean back = healthy.getAsBoolean();
    Instant now = clock.instant();
    synchronized (lock) {
      if (back) {
        downSince = null;
        int failures = notLogged.getAndSet(0);
        log.info(
            "Temporal server at {} is reachable again after {} s ({} failed calls not logged)",
            target,
            Duration.between(since, now).toSeconds(),
            failures);
      } else if (Duration.between(remindedAt, now).compareTo(REMIND_EVERY) >= 0) {
        remindedAt = now;
        log.warn(
            "Temporal server at {} is still unreachable, for {} s",
            target,
            Duration.between(since, now).toSeconds());
      }
    }
  }

  boolean isDown() {
    synchronized (lock) {
      return downSince != null;
    }
  }

  private static boolean isServing(WorkflowServiceStubs stubs) {
    try {
      return stubs.healthCheck().getStatus()
          == io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
