package dev.cutover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.preflight.PreflightActivities;
import dev.cutover.steps.rsync.RsyncActivities;
import io.temporal.activity.ActivityInterface;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.metadata.POJOActivityInterfaceMetadata;
import io.temporal.common.metadata.POJOActivityMethodMetadata;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The worker as it starts, against Temporal's in-memory server: every activity type that the
 * workflows module declares is registered on the cutover task queue, so a kind whose activities
 * lack a bean fails the build instead of a migration ("activity type not registered").
 */
class ActivityRegistrationTest {
  private static final String PROBE_QUEUE = "activity-registration-probe";
  private static final String KNOWN_TYPES = "Known types are: ";

  @Test
  void theWorkerHasEveryActivityTheWorkflowsDeclare() throws Exception {
    // given every activity interface on the class path (they live in the workflows module) and
    // their types
    Set<Class<?>> interfaces = activityInterfaces();
    assertThat(interfaces).contains(PreflightActivities.class, RsyncActivities.class);
    Set<String> declared =
        interfaces.stream()
            .flatMap(
                i -> POJOActivityInterfaceMetadata.newInstance(i).getMethodsMetadata().stream())
            .map(POJOActivityMethodMetadata::getActivityTypeName)
            .collect(Collectors.toCollection(TreeSet::new));

    // when the worker application starts on an in-memory server and is asked which types it knows
    Set<String> known;
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0);
        ConfigurableApplicationContext worker =
            new SpringApplicationBuilder(CutoverWorkerApplication.class)
                .run("--spring.temporal.connection.target=" + server.target())) {
      known = knownTypes(worker.getBean(WorkflowClient.class));
    }

    // then it knows every declared type
    assertThat(known).containsAll(declared);
  }

  /** Runs the probe workflow on its own worker; the cutover worker's refusal lists what it has. */
  private static Set<String> knownTypes(WorkflowClient client) {
    WorkerFactory probes = WorkerFactory.newInstance(client);
    try {
      probes.newWorker(PROBE_QUEUE).registerWorkflowImplementationTypes(ProbeWorkflowImpl.class);
      probes.start();
      String refusal =
          client
              .newWorkflowStub(
                  ProbeWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(PROBE_QUEUE)
                      .setWorkflowId("activity-probe-" + UUID.randomUUID())
                      .setWorkflowExecutionTimeout(Duration.ofMinutes(1))
                      .build())
              .knownActivityTypes();
      assertThat(refusal).contains(ProbeWorkflowImpl.UNKNOWN_TYPE).contains(KNOWN_TYPES);
      String list = refusal.substring(refusal.indexOf(KNOWN_TYPES) + KNOWN_TYPES.length());
      return Arrays.stream(list.split(","))
          .map(String::trim)
          .filter(t -> !t.isEmpty())
          .collect(Collectors.toCollection(TreeSet::new));
    } finally {
      probes.shutdownNow();
    }
  }

  private static Set<Class<?>> activityInterfaces() throws ClassNotFoundException {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false) {
          @Override
          protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
            return definition.getMetadata().isInterface();
          }
        };
    scanner.addIncludeFilter(new AnnotationTypeFilter(ActivityInterface.class, false, true));
    Set<Class<?>> found = new java.util.LinkedHashSet<>();
    for (BeanDefinition d : scanner.findCandidateComponents("dev.cutover")) {
      // The bench profile's no-op runs on a task queue of its own, never on the cutover one.
      if (!d.getBeanClassName().startsWith("dev.cutover.worker.bench.")) {
        found.add(Class.forName(d.getBeanClassName()));
      }
    }
    return found;
  }
}
