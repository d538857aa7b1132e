package dev.cutover.worker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.function.Consumer;
import org.slf4j.Marker;

/**
 * Keeps the SDK's and gRPC's warnings about an unreachable Temporal server out of the log and hands
 * them to {@link ServerReachability}, which says it once and says when the server is back. Without
 * it a 10-second outage costs every poller thread a stack trace per retry (about 2,600 lines in the
 * production e2e). Only events of {@code io.temporal} and {@code io.grpc} loggers whose throwable
 * is, or is caused by, a gRPC UNAVAILABLE are taken; everything else is logged as before.
 */
final class UnreachableServerFilter extends TurboFilter {
  private static final int MAX_CAUSES = 10;
  private final Consumer<String> unreachable;

  /**
   * @param unreachable told the reason of each event it takes (e.g. "UNAVAILABLE: io exception")
   */
  UnreachableServerFilter(Consumer<String> unreachable) {
    this.unreachable = unreachable;
  }

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == null
        || !level.isGreaterOrEqual(Level.WARN)
        || logger == null
        || !fromTemporalOrGrpc(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    // slf4j passes a trailing throwable as the last parameter when the message has placeholders.
    Throwable thrown =
        t != null
            ? t
            : params != null
                    && params.length > 0
                    && params[params.length - 1] instanceof Throwable th
                ? th
                : null;
    String reason = unavailable(thrown);
    if (reason == null) {
      return FilterReply.NEUTRAL;
    }
    unreachable.accept(reason);
    return FilterReply.DENY;
  }

  private static boolean fromTemporalOrGrpc(String name) {
    return name.startsWith("io.temporal.") || name.startsWith("io.grpc.");
  }

  /** The UNAVAILABLE status in the throwable's cause chain, as text, or null. */
  static String unavailable(Throwable thrown) {
    Throwable c = thrown;
    for (int i = 0; c != null && i < MAX_CAUSES; i++, c = c.getCause()) {
      if (c instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        String description = s.getStatus().getDescription();
        return "UNAVAILABLE" + (description != null ? ": " + description : "");
      }
    }
    return null;
  }
}
