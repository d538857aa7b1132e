package dev.cutover.worker.bench;

import io.temporal.client.WorkflowClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Only with the {@code bench} profile (bench/step-overhead.sh sets it): the bare no-op workflow on
 * its own task queue. A production worker never starts it.
 */
@Configuration
@Profile("bench")
public class BenchConfiguration {
  @Bean
  public BenchWorker benchWorker(WorkflowClient client) {
    return new BenchWorker(client);
  }
}
