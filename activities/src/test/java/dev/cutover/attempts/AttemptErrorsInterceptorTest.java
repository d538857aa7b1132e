package dev.cutover.attempts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interceptor on a real SDK worker and Temporal's test server: a retried activity's failures
 * carry the errors of the attempts before them, and the activity's own heartbeat details reach its
 * next attempt as if nothing rode along.
 */
class AttemptErrorsInterceptorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String QUEUE = "attempts";

  /** What each attempt of the activity read from the heartbeat details of the attempt before. */
  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  private TestWorkflowEnvironment env;

  @BeforeEach
  void start() {
    SEEN.clear();
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new AttemptErrorsInterceptor())
                        .build())
                .build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(RetryingWorkflowImpl.class);
    worker.registerActivitiesImplementations(new FlakyImpl());
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void anActivityThatKeepsFailingCarriesEveryEarlierAttemptsErrorIntoTheHistory() throws Exception {
    // given an activity that fails on each of its 4 attempts, each time differently
    WorkflowClient client = env.getWorkflowClient();
    RetryingWorkflow workflow =
        client.newWorkflowStub(
            RetryingWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId("keeps-failing")
                .build());

    // when it runs out of attempts
    catchThrowableOfType(WorkflowFailedException.class, () -> workflow.run(4, 99));

    // then the failed event's failure has its own error, and as its last detail attempts 1 to 3's
    HistoryEvent failed = event(client, "keeps-failing", EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED);
    var failure = failed.getActivityTaskFailedEventAttributes().getFailure();
    assertThat(failure.getMessage()).isEqualTo("attempt 4 broke");
    Payloads details = failure.getApplicationFailureInfo().getDetails();
    assertThat(json(details, 0).path("step").asText()).isEqualTo("flaky");
    JsonNode earlier = json(details, details.getPayloadsCount() - 1).path(AttemptErrors.FIELD);
    assertThat(earlier).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(earlier.get(i).path("attempt").asInt()).isEqualTo(i + 1);
      assertThat(earlier.get(i).path("type").asText()).isEqualTo("CommandFailed");
      assertThat(earlier.get(i).path("error").asText()).isEqualTo("attempt " + (i + 1) + " broke");
    }
    // and each attempt read the heartbeat details the one before it heartbeat, unwrapped
    assertThat(SEEN)
        .containsExactly(
            "none", "progress of attempt 1", "progress of attempt 2", "progress of attempt 3");
  }

  @Test
  void anActivityThatSucceedsAfterFailuresReadsItsOwnDetailsAndReturnsItsResult() {
    // given an activity that fails twice and then succeeds
    RetryingWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                RetryingWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId("then-succeeds")
                    .build());

    // when it runs
    String result = workflow.run(5, 2);

    // then its result is its own, and attempt 3 read attempt 2's details
    assertThat(result).isEqualTo("done in attempt 3");
    assertThat(SEEN).containsExactly("none", "progress of attempt 1", "progress of attempt 2");
  }

  @Test
  void theListIsBoundedToTheLatestErrors() {
    List<AttemptError> errors = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      errors =
          AttemptErrors.plus(
              errors,
              AttemptErrors.of(
                  i, ApplicationFailure.newFailure("x".repeat(2_000), "CommandFailed")));
    }

    assertThat(errors).hasSize(AttemptErrors.MAX_KEPT);
    assertThat(errors.get(0).attempt()).isEqualTo(25 - AttemptErrors.MAX_KEPT + 1);
    assertThat(errors).allSatisfy(e -> assertThat(e.error()).hasSize(AttemptErrors.MAX_ERROR));
  }

  private static HistoryEvent event(WorkflowClient client, String workflowId, EventType type) {
    return client.fetchHistory(workflowId).getEvents().stream()
        .filter(e -> e.getEventType() == type)
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + type + " in the history"));
  }

  private static JsonNode json(Payloads payloads, int index) throws Exception {
    return JSON.readTree(payloads.getPayloads(index).getData().toStringUtf8());
  }

  /** Heartbeat details of the flaky activity. */
  public record Progress(String note) {}

  /** What a failure of the flaky activity carries, as a command's result would. */
  public record Outcome(String step, int exitCode) {}

  @ActivityInterface
  public interface Flaky {
    @ActivityMethod(name = "Flaky")
    String attempt(int failures);
  }

  public static class FlakyImpl implements Flaky {
    @Override
    public String attempt(int failures) {
      var context = Activity.getExecutionContext();
      int attempt = context.getInfo().getAttempt();
      SEEN.add(context.getHeartbeatDetails(Progress.class).map(Progress::note).orElse("none"));
      context.heartbeat(new Progress("progress of attempt " + attempt));
      if (attempt <= failures) {
        throw ApplicationFailure.newFailure(
            "attempt " + attempt + " broke", "CommandFailed", new Outcome("flaky", attempt));
      }
      return "done in attempt " + attempt;
    }
  }

  @WorkflowInterface
  public interface RetryingWorkflow {
    @WorkflowMethod
    String run(int attempts, int failures);
  }

  public static class RetryingWorkflowImpl implements RetryingWorkflow {
    @Override
    public String run(int attempts, int failures) {
      Flaky flaky =
          Workflow.newActivityStub(
              Flaky.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(
                      RetryOptions.newBuilder()
                          .setMaximumAttempts(attempts)
                          .setInitialInterval(Duration.ofMillis(100))
                          .setBackoffCoefficient(1.0)
                          .build())
                  .build());
      return flaky.attempt(failures);
    }
  }
}
