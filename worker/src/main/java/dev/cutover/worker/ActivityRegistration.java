package dev.cutover.worker;

import dev.cutover.workflow.CutoverNames;
import io.temporal.activity.ActivityInterface;
import io.temporal.worker.WorkerFactory;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Puts every activity bean (a bean whose class implements an {@link ActivityInterface}) on the
 * cutover task queue, so the {@code @Bean} methods of {@link ActivitiesConfiguration} are the one
 * list of activities: a kind's implementation that is a bean is registered, with no second list to
 * forget. Runs once every singleton exists, before the starter starts the worker factory on
 * ApplicationReadyEvent. The worker interceptors are the factory's, so they wrap these activities
 * as they did when the starter registered them.
 */
public class ActivityRegistration implements SmartInitializingSingleton {
  private final ListableBeanFactory beans;
  private final WorkerFactory workers;

  public ActivityRegistration(ListableBeanFactory beans, WorkerFactory workers) {
    this.beans = beans;
    this.workers = workers;
  }

  @Override
  public void afterSingletonsInstantiated() {
    // findAnnotationOnBean, behind getBeansWithAnnotation, also looks at the interfaces a bean's
    // class implements.
    Map<String, Object> activities = beans.getBeansWithAnnotation(ActivityInterface.class);
    if (activities.isEmpty()) {
      throw new IllegalStateException(
          "no activity beans found for task queue " + CutoverNames.TASK_QUEUE);
    }
    workers
        .getWorker(CutoverNames.TASK_QUEUE)
        .registerActivitiesImplementations(activities.values().toArray());
  }
}
