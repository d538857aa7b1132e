package dev.cutover.attempts;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.common.interceptors.ActivityExecutionContextBase;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Optional;

/**
 * The execution context an activity sees while earlier attempts' errors travel in its heartbeat
 * details: it heartbeats and reads its own details as if they were alone, and the errors ride along
 * ({@link AttemptCarry}).
 */
final class AttemptContext extends ActivityExecutionContextBase {
  private final ActivityExecutionContext context;
  private final AttemptErrors.Carried carried;
  private volatile List<AttemptError> errors;
  private volatile boolean beat;
  private volatile Object lastDetails;

  AttemptContext(ActivityExecutionContext context) {
    super(context);
    this.context = context;
    this.carried = AttemptErrors.carried(context.getInfo().getHeartbeatDetails());
    this.errors = carried == null ? List.of() : carried.errors();
  }

  /** The errors of the attempts before this one that are known here, oldest first. */
  List<AttemptError> earlierErrors() {
    return errors;
  }

  /** Records this attempt's error so that the next attempt gets it with the heartbeat details. */
  void recordFailure(AttemptError error) {
    errors = AttemptErrors.plus(errors, error);
    // Details this attempt did not replace go on as the earlier attempt left them.
    Object details =
        beat
            ? lastDetails
            : carried != null
                ? carried.json()
                : AttemptErrors.json(context.getInfo().getHeartbeatDetails());
    context.heartbeat(new AttemptCarry(details, errors));
  }

  @Override
  public <V> void heartbeat(V details) {
    lastDetails = details;
    beat = true;
    List<AttemptError> now = errors;
    context.heartbeat(now.isEmpty() ? details : new AttemptCarry(details, now));
  }

  @Override
  public <V> Optional<V> getHeartbeatDetails(Class<V> detailsClass) {
    return getHeartbeatDetails(detailsClass, detailsClass);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> Optional<V> getHeartbeatDetails(Class<V> detailsClass, Type detailsType) {
    if (beat) {
      return Optional.ofNullable((V) lastDetails);
    }
    if (carried == null) {
      return context.getHeartbeatDetails(detailsClass, detailsType);
    }
    if (carried.details() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        GlobalDataConverter.get().fromPayload(carried.details(), detailsClass, detailsType));
  }

  @Override
  public <V> Optional<V> getLastHeartbeatDetails(Class<V> detailsClass) {
    return getHeartbeatDetails(detailsClass, detailsClass);
  }

  @Override
  public <V> Optional<V> getLastHeartbeatDetails(Class<V> detailsClass, Type detailsType) {
    return getHeartbeatDetails(detailsClass, detailsType);
  }
}
