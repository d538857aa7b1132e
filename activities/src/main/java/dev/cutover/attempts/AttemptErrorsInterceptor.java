package dev.cutover.attempts;

import io.temporal.client.ActivityCompletionException;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the error of every failed attempt of an activity in the history, for the report.
 *
 * <p>Temporal's history keeps two failures of an activity's attempts: the last one's (on the failed
 * event) and, on the started event, the one before the attempt that ended it; the attempts before
 * those leave nothing, and an activity cannot read an earlier attempt's failure
 * (temporalio/temporal #3517, #8039). What an activity can read is the heartbeat details an earlier
 * attempt left, and a failing attempt's last details travel with its failure. So each failing
 * attempt heartbeats its error beside the activity's own details ({@link AttemptCarry}; the
 * activity sees only its own), and each failure an attempt raises carries the errors of the
 * attempts before it as its last detail ({@link EarlierAttempts}). Between them, the started and
 * failed events then hold every attempt's error, up to {@link AttemptErrors#MAX_KEPT} of them.
 *
 * <p>An attempt that ends without an error of its own (its worker died, it timed out) leaves none
 * to carry: the report says which attempts it has no error for.
 */
public final class AttemptErrorsInterceptor extends WorkerInterceptorBase {
  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private AttemptContext context;

      @Override
      public void init(io.temporal.activity.ActivityExecutionContext context) {
        if (context.getInfo().isLocal()) {
          super.init(context);
          return;
        }
        this.context = new AttemptContext(context);
        super.init(this.context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        if (context == null) {
          return super.execute(input);
        }
        try {
          return super.execute(input);
        } catch (ActivityCompletionException canceledOrGone) {
          throw canceledOrGone;
        } catch (RuntimeException failure) {
          List<AttemptError> earlier = context.earlierErrors();
          try {
            context.recordFailure(AttemptErrors.of(context.getInfo().getAttempt(), failure));
          } catch (RuntimeException cannotBeat) {
            // canceled meanwhile, or the server unreachable: the failure itself still goes out
          }
          throw failure instanceof ApplicationFailure app && !earlier.isEmpty()
              ? withEarlier(app, earlier)
              : failure;
        }
      }
    };
  }

  /**
   * The failure with the earlier attempts' errors as its last detail; the activity's own details
   * keep their places (a first detail, which the workflow and the report read, stays first).
   */
  static ApplicationFailure withEarlier(ApplicationFailure failure, List<AttemptError> earlier) {
    List<Object> details = new ArrayList<>();
    try {
      var values = failure.getDetails();
      int size = values == null ? 0 : values.getSize();
      for (int i = 0; i < size; i++) {
        details.add(values.get(i, Object.class));
      }
    } catch (RuntimeException encoded) {
      return failure; // details already encoded elsewhere: leave the failure as it is
    }
    if (details.isEmpty()) {
      details.add(null);
    }
    details.add(new EarlierAttempts(earlier));
    ApplicationFailure carried =
        ApplicationFailure.newBuilder(failure).setDetails(details.toArray()).build();
    carried.setStackTrace(failure.getStackTrace());
    return carried;
  }
}
