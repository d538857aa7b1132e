package dev.cutover.worker;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import dev.cutover.secrets.ResolvedSecrets;
import dev.cutover.secrets.SecretMask;

/**
 * Logback's own exception words ({@code %ex}, {@code %xEx}, ...) masked like {@link
 * MaskedWhitespaceThrowableConverter}, for a pattern set through {@code logging.pattern.*} or
 * {@code logging.exception-conversion-word} that uses them.
 */
public class MaskedThrowableConverter extends ExtendedThrowableProxyConverter {
  @Override
  protected String throwableProxyToString(IThrowableProxy throwable) {
    String text = super.throwableProxyToString(throwable);
    SecretMask mask = ResolvedSecrets.mask();
    return mask.isEmpty() ? text : mask.mask(text);
  }
}
