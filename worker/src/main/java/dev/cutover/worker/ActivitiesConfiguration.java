package dev.cutover.worker;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.run.RunActivitiesImpl;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The activity beans the worker registers (see spring.temporal.workers in application.yml). */
@Configuration
public class ActivitiesConfiguration {

  @Bean
  public SecretResolver secretResolver() {
    return new SecretResolver();
  }

  @Bean
  public RunActivitiesImpl runActivities(SecretResolver secrets) {
    return new RunActivitiesImpl(secrets);
  }
}
