package dev.cutover.worker;

import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.spring.boot.WorkerOptionsCustomizer;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Worker options and interceptors that the starter's properties do not cover. */
@Configuration
public class WorkerTuning {
  /**
   * How long a workflow thread may run without yielding before the SDK calls it a deadlock and
   * fails the workflow task (retried only after the 10 s workflow task timeout). The SDK's 1 s is
   * too short for a worker that has just started on a busy machine: decoding a plan with Jackson's
   * cold caches took over 1 s in the full e2e (2 cores shared with PostgreSQL, pgbench and the
   * users' load), which cost 10-20 s on every worker start and restart. A blocking call in workflow
   * code is still caught, a few seconds later.
   */
  public static final Duration DEADLOCK_DETECTION_TIMEOUT = Duration.ofSeconds(5);

  @Bean
  public WorkerOptionsCustomizer workerOptionsCustomizer() {
    return (builder, workerName, taskQueue) ->
        builder.setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION_TIMEOUT.toMillis());
  }

  /** A log line per activity attempt: which worker starts which step of which migration. */
  @Bean
  public WorkerInterceptor stepStartLogging() {
    return new StepStartLogging();
  }
}
