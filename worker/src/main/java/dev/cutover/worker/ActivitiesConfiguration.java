package dev.cutover.worker;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.run.RunActivitiesImpl;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Value;
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
  public RunActivitiesImpl runActivities(SecretResolver secrets, @Value("${cutover.run.pass-env:}") String passEnv) {
    Set<String> names = Arrays.stream(passEnv.split(",")).map(String::trim).filter(n -> !n.isEmpty()).collect(Collectors.toSet());
    return new RunActivitiesImpl(secrets, names);
  }
}
