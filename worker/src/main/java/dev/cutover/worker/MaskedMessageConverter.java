package dev.cutover.worker;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.cutover.secrets.ResolvedSecrets;
import dev.cutover.secrets.SecretMask;

/**
 * {@code %m} of the worker's log with every secret this process resolved masked, whoever logged the
 * line (registered for {@code m}, {@code msg} and {@code message} in logback-spring.xml).
 */
public class MaskedMessageConverter extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    String message = super.convert(event);
    SecretMask mask = ResolvedSecrets.mask();
    // Before any secret is resolved there is nothing to look for: no work per line.
    return mask.isEmpty() ? message : mask.mask(message);
  }
}
