package dev.cutover.worker;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.lang.reflect.RecordComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line as each activity attempt starts: which worker (its Temporal identity) runs which
 * step of which migration, and which attempt it is. With several workers on one task queue, this is
 * how an operator reading the logs finds the worker that ran a step, without {@code temporal
 * workflow describe}. Names only: no input of the step reaches the log.
 */
public final class StepStartLogging extends WorkerInterceptorBase {
  private static final Logger log = LoggerFactory.getLogger(StepStartLogging.class);

  /** Step names are short in valid plans; a log line stays one line whatever an input holds. */
  static final int MAX_NAME = 200;

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityExecutionContext context;

      @Override
      public void init(ActivityExecutionContext context) {
        this.context = context;
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        if (context != null && log.isInfoEnabled()) {
          log.info(line(identity(context), context.getInfo(), input.getArguments()));
        }
        return super.execute(input);
      }
    };
  }

  /**
   * The line for one attempt, e.g. {@code worker 42@host starts step final-sync of m-1, attempt 2
   * (activity Rsync)}.
   */
  static String line(String identity, ActivityInfo info, Object[] arguments) {
    String step = stepName(arguments);
    return "worker "
        + bounded(identity)
        + " starts "
        + (step != null ? "step " + bounded(step) : "activity " + info.getActivityType())
        + " of "
        + bounded(info.getWorkflowId())
        + ", attempt "
        + info.getAttempt()
        + (step != null ? " (activity " + info.getActivityType() + ")" : "");
  }

  /**
   * The step a request names: every step activity takes a request record with a {@code step}
   * component.
   */
  static String stepName(Object[] arguments) {
    if (arguments == null
        || arguments.length == 0
        || arguments[0] == null
        || !arguments[0].getClass().isRecord()) {
      return null;
    }
    for (RecordComponent c : arguments[0].getClass().getRecordComponents()) {
      if (c.getName().equals("step") && c.getType() == String.class) {
        try {
          return (String) c.getAccessor().invoke(arguments[0]);
        } catch (ReflectiveOperationException | RuntimeException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static String identity(ActivityExecutionContext context) {
    try {
      return context.getWorkflowClient().getOptions().getIdentity();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  private static String bounded(String s) {
    if (s == null) {
      return "?";
    }
    String oneLine = s.replaceAll("[\\r\\n\\t]", " ");
    return oneLine.length() <= MAX_NAME ? oneLine : oneLine.substring(0, MAX_NAME) + "...";
  }
}
