package dev.cutover.worker;

import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.cutover.secrets.ResolvedSecrets;
import dev.cutover.secrets.SecretMask;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

/**
 * Spring Boot's {@code %wEx} (the exception in its default patterns) with every secret this process
 * resolved masked in the messages of the throwable and its causes and in every stack line.
 */
public class MaskedWhitespaceThrowableConverter extends ExtendedWhitespaceThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy throwable) {
    String text = super.throwableProxyToString(throwable);
    SecretMask mask = ResolvedSecrets.mask();
    return mask.isEmpty() ? text : mask.mask(text);
  }
}
