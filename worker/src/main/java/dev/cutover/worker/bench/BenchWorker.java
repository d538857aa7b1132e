package dev.cutover.worker.bench;

import dev.cutover.worker.WorkerTuning;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import org.springframework.context.SmartLifecycle;

/**
 * The bench's own worker factory in the cutover worker's process, on the same connection: SDK
 * defaults and none of cutover's interceptors, so its figure is Temporal's alone. Its activity is
 * no Spring bean, so it never lands on the cutover task queue.
 */
public final class BenchWorker implements SmartLifecycle {
  /** Its own task queue: the cutover workers never poll it, production plans never reach it. */
  public static final String TASK_QUEUE = "cutover-bench";

  private final WorkerFactory factory;
  private volatile boolean running;

  public BenchWorker(WorkflowClient client) {
    this.factory = WorkerFactory.newInstance(client);
    // The cutover worker's deadlock timeout: on a loaded machine the SDK's 1 s fails first tasks.
    var worker =
        factory.newWorker(
            TASK_QUEUE,
            WorkerOptions.newBuilder()
                .setDefaultDeadlockDetectionTimeout(
                    WorkerTuning.DEADLOCK_DETECTION_TIMEOUT.toMillis())
                .build());
    worker.registerWorkflowImplementationTypes(BenchNoopWorkflowImpl.class);
    worker.registerActivitiesImplementations(new BenchNoopActivityImpl());
  }

  @Override
  public void start() {
    factory.start();
    running = true;
  }

  @Override
  public void stop() {
    factory.shutdown();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
