package dev.cutover.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.plan.load.PlanLoader;
import dev.cutover.workflow.MigrationInput;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.ActivityExecutionContextBase;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.Header;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The activity side of {@link SecretMaskingInterceptor}, driven as the SDK drives it (init with the
 * context, then execute with the header the workflow side wrote): the activity sees the plan's mask
 * on its thread, and its heartbeats, result and failure leave masked.
 */
class SecretMaskingInterceptorTest {
  static final String TOKEN = "tok/Xy9+Qr7=Secr3t-Vw2";
  static final String OTHER = "other-Secret-77Kq";

  record Progress(String lastLine, long bytes) {}

  final SecretResolver resolver = new SecretResolver(Map.of("API_TOKEN", TOKEN, "OTHER", OTHER));

  /**
   * The header the workflow side writes for a plan with both secrets and one it cannot resolve
   * here.
   */
  static Header planHeader() {
    dev.cutover.plan.Plan plan;
    try {
      plan =
          PlanLoader.parse(
              "p.yaml",
              """
        migration: masking
        hosts: {old: {transport: local}}
        secrets: {api: env:API_TOKEN, other: env:OTHER, elsewhere: env:ONLY_ON_ANOTHER_WORKER}
        phases:
          prepare:
            steps:
              - {name: s, kind: run, host: old, command: 'true'}
        """);
    } catch (dev.cutover.plan.load.InvalidPlanException e) {
      throw new IllegalStateException(e);
    }
    Payload refs = SecretMaskingInterceptor.refsPayload(new Object[] {MigrationInput.of(plan)});
    return new Header(Map.of(SecretMaskingInterceptor.HEADER, refs));
  }

  @Test
  void theHeaderCarriesTheReferencesOnly() {
    // given the plan's header
    // when it is read back
    String[] refs =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
            planHeader().getValues().get(SecretMaskingInterceptor.HEADER),
            String[].class,
            String[].class);

    // then it names the references, never a value
    assertThat(refs).containsExactly("env:API_TOKEN", "env:ONLY_ON_ANOTHER_WORKER", "env:OTHER");
  }

  @Test
  void heartbeatsAndTheResultLeaveMaskedAndTheMaskIsOnTheActivitysThreadOnlyWhileItRuns() {
    // given an activity that heartbeats and returns what it read, holding a secret its step did not
    // name
    List<Object> heartbeats = new ArrayList<>();
    AtomicReference<SecretMask> seen = new AtomicReference<>();
    AtomicReference<ActivityExecutionContext> context = new AtomicReference<>();
    ActivityInboundCallsInterceptor activity =
        new ActivityInboundCallsInterceptor() {
          @Override
          public void init(ActivityExecutionContext c) {
            context.set(c);
          }

          @Override
          public ActivityOutput execute(ActivityInput input) {
            seen.set(ActivitySecrets.current());
            context.get().heartbeat(new Progress("copying " + OTHER, 10));
            return new ActivityOutput(new Progress("done: " + TOKEN.replace("/", "\\/"), 20));
          }
        };
    ActivityInboundCallsInterceptor intercepted =
        new SecretMaskingInterceptor(resolver).interceptActivity(activity);

    // when the SDK runs it
    intercepted.init(
        new ActivityExecutionContextBase(null) {
          @Override
          public <V> void heartbeat(V details) {
            heartbeats.add(details);
          }
        });
    Object result =
        intercepted
            .execute(new ActivityInboundCallsInterceptor.ActivityInput(planHeader(), new Object[0]))
            .getResult();

    // then the activity had the plan's mask, and what left it is masked
    assertThat(seen.get().values()).containsExactlyInAnyOrder(TOKEN, OTHER);
    assertThat(heartbeats).containsExactly(new Progress("copying ***", 10));
    assertThat(result).isEqualTo(new Progress("done: ***", 20));
    assertThat(ActivitySecrets.current()).isSameAs(SecretMask.NONE);
  }

  @Test
  void aFailureLeavesMaskedWithItsTypeAndRetryability() {
    // given an activity that fails quoting a secret URL-encoded
    ActivityInboundCallsInterceptor activity =
        new ActivityInboundCallsInterceptor() {
          @Override
          public void init(ActivityExecutionContext c) {}

          @Override
          public ActivityOutput execute(ActivityInput input) {
            throw ApplicationFailure.newNonRetryableFailure(
                "denied for tok%2FXy9%2BQr7%3DSecr3t-Vw2", "CheckFailed");
          }
        };
    ActivityInboundCallsInterceptor intercepted =
        new SecretMaskingInterceptor(resolver).interceptActivity(activity);
    intercepted.init(new ActivityExecutionContextBase(null));

    // when it runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                intercepted.execute(
                    new ActivityInboundCallsInterceptor.ActivityInput(
                        planHeader(), new Object[0])));

    // then the failure Temporal records is masked and still says what kind it is
    assertThat(failure.getOriginalMessage()).isEqualTo("denied for ***");
    assertThat(failure.getType()).isEqualTo("CheckFailed");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(ActivitySecrets.current()).isSameAs(SecretMask.NONE);
  }

  @Test
  void withoutTheHeaderNothingIsMaskedBeyondWhatTheStepDoesItself() {
    // given an activity scheduled by a history recorded before the header existed
    ActivityInboundCallsInterceptor activity =
        new ActivityInboundCallsInterceptor() {
          @Override
          public void init(ActivityExecutionContext c) {}

          @Override
          public ActivityOutput execute(ActivityInput input) {
            return new ActivityOutput(ActivitySecrets.current().isEmpty() ? "no mask" : "mask");
          }
        };
    ActivityInboundCallsInterceptor intercepted =
        new SecretMaskingInterceptor(resolver).interceptActivity(activity);
    intercepted.init(new ActivityExecutionContextBase(null));

    // when it runs
    Object result =
        intercepted
            .execute(
                new ActivityInboundCallsInterceptor.ActivityInput(Header.empty(), new Object[0]))
            .getResult();

    // then it runs as before, with no plan mask
    assertThat(result).isEqualTo("no mask");
  }
}
