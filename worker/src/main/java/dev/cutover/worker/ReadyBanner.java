package dev.cutover.worker;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Tells a person, and the CLI that launched this worker, that it is up and where it polls. */
@Component
public class ReadyBanner {
  @Value("${spring.temporal.connection.target}")
  private String target;

  @Value("${spring.temporal.namespace}")
  private String namespace;

  @EventListener(ApplicationReadyEvent.class)
  public void ready() {
    System.out.println(
        "cutover worker ready: task queue cutover on " + target + ", namespace " + namespace);
  }
}
