package dev.cutover.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.cutover.workflow.MigrationInput;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.EncodedValues;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import io.temporal.common.converter.Values;
import io.temporal.common.interceptors.ActivityExecutionContextBase;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.Header;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Masks every secret of the plan in everything an activity hands back to Temporal, whatever step it
 * runs for: a later step that prints a file an earlier {@code put} wrote from a secret is masked
 * too, though the step itself names no secret.
 *
 * <p>An activity request carries only its own step's secret references. So the workflow side of
 * this interceptor adds the plan's secret <em>references</em> (never values: they are already in
 * the workflow's input) to every activity it schedules, as a header; the activity side resolves
 * them in the worker, puts the {@link SecretMask} on the activity's thread ({@link
 * ActivitySecrets}) for the shells and checks to use on output before it is cut, and masks what
 * leaves: the result, heartbeat details and failures (message, details and causes). Activities
 * scheduled by a history recorded before this header existed get the step's own masking only.
 *
 * <p>The workflow side only reads the workflow's input and adds a header: it issues no command of
 * its own and changes none, so histories replay with or without it.
 */
public final class SecretMaskingInterceptor extends WorkerInterceptorBase {
  /** The header holding the plan's secret references, a JSON array of strings. */
  public static final String HEADER = "cutover-plan-secret-refs";

  private static final Logger log = LoggerFactory.getLogger(SecretMaskingInterceptor.class);
  private static final DataConverter CONVERTER = DefaultDataConverter.STANDARD_INSTANCE;
  private static final ObjectMapper JSON = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  private final SecretResolver resolver;

  public SecretMaskingInterceptor(SecretResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new PlanSecretRefs(next);
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new MaskingActivity(next, resolver);
  }

  /**
   * The plan's secret references as the header carries them; empty for another workflow's input.
   */
  static Payload refsPayload(Object[] workflowArguments) {
    if (workflowArguments == null
        || workflowArguments.length == 0
        || !(workflowArguments[0] instanceof MigrationInput input)
        || input.plan() == null
        || input.plan().secrets().isEmpty()) {
      return null;
    }
    // Sorted and without nulls: the same header on every replay, and nothing that could fail the
    // workflow task (a hand-built plan may hold anything).
    TreeSet<String> refs = new TreeSet<>();
    input.plan().secrets().values().stream().filter(java.util.Objects::nonNull).forEach(refs::add);
    return refs.isEmpty() ? null : CONVERTER.toPayload(new ArrayList<>(refs)).orElse(null);
  }

  /** Workflow side: remembers the plan's references and adds them to every activity scheduled. */
  private static final class PlanSecretRefs extends WorkflowInboundCallsInterceptorBase {
    private Payload refs;

    PlanSecretRefs(WorkflowInboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void init(WorkflowOutboundCallsInterceptor outboundCalls) {
      super.init(
          new WorkflowOutboundCallsInterceptorBase(outboundCalls) {
            @Override
            public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
              if (refs == null) {
                return super.executeActivity(input);
              }
              return super.executeActivity(
                  new ActivityInput<>(
                      input.getActivityName(),
                      input.getResultClass(),
                      input.getResultType(),
                      input.getArgs(),
                      input.getOptions(),
                      withRefs(input.getHeader())));
            }

            @Override
            public <R> LocalActivityOutput<R> executeLocalActivity(LocalActivityInput<R> input) {
              if (refs == null) {
                return super.executeLocalActivity(input);
              }
              return super.executeLocalActivity(
                  new LocalActivityInput<>(
                      input.getActivityName(),
                      input.getResultClass(),
                      input.getResultType(),
                      input.getArgs(),
                      input.getOptions(),
                      withRefs(input.getHeader())));
            }
          });
    }

    @Override
    public WorkflowOutput execute(WorkflowInput input) {
      refs = refsPayload(input.getArguments());
      return super.execute(input);
    }

    private Header withRefs(Header header) {
      Map<String, Payload> values = new HashMap<>(header == null ? Map.of() : header.getValues());
      values.put(HEADER, refs);
      return new Header(values);
    }
  }

  /** Activity side: resolves the plan's secrets and masks what the activity hands back. */
  private static final class MaskingActivity extends ActivityInboundCallsInterceptorBase {
    private final SecretResolver resolver;
    private volatile SecretMask mask = SecretMask.NONE;

    MaskingActivity(ActivityInboundCallsInterceptor next, SecretResolver resolver) {
      super(next);
      this.resolver = resolver;
    }

    @Override
    public void init(ActivityExecutionContext context) {
      super.init(
          new ActivityExecutionContextBase(context) {
            @Override
            public <V> void heartbeat(V details) {
              super.heartbeat(maskObject(details, mask));
            }
          });
    }

    @Override
    public ActivityOutput execute(ActivityInput input) {
      mask = resolveAll(refs(input.getHeader()));
      ActivitySecrets.set(mask);
      try {
        ActivityOutput output = super.execute(input);
        return mask.isEmpty() ? output : new ActivityOutput(maskObject(output.getResult(), mask));
      } catch (RuntimeException e) {
        throw maskThrowable(e, mask);
      } finally {
        ActivitySecrets.clear();
      }
    }

    private List<String> refs(Header header) {
      Payload payload = header == null ? null : header.getValues().get(HEADER);
      if (payload == null) {
        return List.of();
      }
      try {
        String[] refs = CONVERTER.fromPayload(payload, String[].class, String[].class);
        return refs == null ? List.of() : List.of(refs);
      } catch (RuntimeException e) {
        log.warn(
            "activity header {} is not a list of secret references; masking the step's own secrets only",
            HEADER);
        return List.of();
      }
    }

    /**
     * Secrets this worker cannot resolve are left out: the step that uses one fails with the
     * reason.
     */
    private SecretMask resolveAll(Collection<String> refs) {
      List<String> values = new ArrayList<>();
      for (String ref : refs) {
        String value = resolver.resolveOrNull(ref);
        if (value != null) {
          values.add(value);
        }
      }
      return SecretMask.of(values);
    }
  }

  /**
   * The object with every string in it masked, rebuilt through JSON as Temporal's converter would
   * write it; the same object when nothing in it needed masking.
   */
  static <V> V maskObject(V value, SecretMask mask) {
    if (value == null || mask.isEmpty()) {
      return value;
    }
    if (value instanceof String s) {
      @SuppressWarnings("unchecked")
      V masked = (V) mask.mask(s);
      return masked;
    }
    try {
      JsonNode tree = JSON.valueToTree(value);
      if (!maskTree(tree, mask)) {
        return value;
      }
      @SuppressWarnings("unchecked")
      V masked = (V) JSON.treeToValue(tree, value.getClass());
      return masked;
    } catch (Exception e) {
      // Never expected for a payload record; keep the activity's outcome rather than fail it.
      log.warn(
          "cannot mask secrets in a {}: {}",
          value.getClass().getSimpleName(),
          e.getClass().getSimpleName());
      return value;
    }
  }

  /** Masks the text nodes of the tree in place; whether any changed. */
  private static boolean maskTree(JsonNode node, SecretMask mask) {
    boolean changed = false;
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode child = object.get(name);
        if (child.isTextual()) {
          String masked = mask.mask(child.textValue());
          if (!masked.equals(child.textValue())) {
            object.set(name, TextNode.valueOf(masked));
            changed = true;
          }
        } else {
          changed |= maskTree(child, mask);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode child = array.get(i);
        if (child.isTextual()) {
          String masked = mask.mask(child.textValue());
          if (!masked.equals(child.textValue())) {
            array.set(i, TextNode.valueOf(masked));
            changed = true;
          }
        } else {
          changed |= maskTree(child, mask);
        }
      }
    }
    return changed;
  }

  /**
   * The failure with every secret masked in its message, its details and its causes' messages; the
   * same exception when none holds one. Type, retryability and retry delay are kept.
   */
  static RuntimeException maskThrowable(RuntimeException e, SecretMask mask) {
    // Cancellation and the SDK's own failures keep their class: Temporal acts on it.
    boolean sdkOwn =
        e instanceof ActivityCompletionException
            || (e instanceof TemporalFailure && !(e instanceof ApplicationFailure));
    if (sdkOwn || mask.isEmpty() || !exposes(e, mask, 0)) {
      return e;
    }
    return (RuntimeException) masked(e, mask, 0);
  }

  private static boolean exposes(Throwable t, SecretMask mask, int depth) {
    if (t == null || depth > 20) {
      return false;
    }
    String message = t instanceof TemporalFailure f ? f.getOriginalMessage() : t.getMessage();
    if (mask.exposes(message)) {
      return true;
    }
    if (t instanceof ApplicationFailure a && detailsExpose(a.getDetails(), mask)) {
      return true;
    }
    return exposes(t.getCause(), mask, depth + 1);
  }

  private static Throwable masked(Throwable t, SecretMask mask, int depth) {
    if (t == null || depth > 20) {
      return null;
    }
    Throwable cause = masked(t.getCause(), mask, depth + 1);
    Throwable result;
    if (t instanceof ApplicationFailure a) {
      ApplicationFailure.Builder b =
          ApplicationFailure.newBuilder(a)
              .setMessage(mask.mask(a.getOriginalMessage()))
              .setCause(cause);
      Values details = maskedDetails(a.getDetails(), mask);
      if (details != null) {
        b.setDetails(details);
      }
      result = b.build();
    } else {
      // Any other exception goes to Temporal as an ApplicationFailure of its class name anyway;
      // it is built here so its message can be masked, with the same type and retryability.
      result =
          ApplicationFailure.newBuilder()
              .setType(t.getClass().getName())
              .setMessage(mask.mask(t.getMessage()))
              .setCause(cause)
              .build();
    }
    result.setStackTrace(t.getStackTrace());
    return result;
  }

  private static boolean detailsExpose(Values details, SecretMask mask) {
    Optional<Payloads> payloads = payloads(details);
    return payloads.isPresent()
        && payloads.get().getPayloadsList().stream()
            .anyMatch(p -> mask.exposes(p.getData().toStringUtf8()));
  }

  /** The details with their JSON masked; {@code null} when they need none or cannot be read. */
  private static Values maskedDetails(Values details, SecretMask mask) {
    Optional<Payloads> payloads = payloads(details);
    if (payloads.isEmpty()) {
      return null;
    }
    Payloads.Builder out = Payloads.newBuilder();
    for (Payload p : payloads.get().getPayloadsList()) {
      String text = p.getData().toStringUtf8();
      if (!mask.exposes(text)) {
        out.addPayloads(p);
        continue;
      }
      try {
        JsonNode tree = JSON.readTree(text);
        if (tree.isTextual()) {
          tree = TextNode.valueOf(mask.mask(tree.textValue()));
        } else {
          maskTree(tree, mask);
        }
        out.addPayloads(
            p.toBuilder()
                .setData(
                    com.google.protobuf.ByteString.copyFrom(
                        JSON.writeValueAsString(tree), StandardCharsets.UTF_8)));
      } catch (Exception e) {
        // Not JSON (a binary payload): dropped rather than sent with a secret in it.
        out.addPayloads(
            CONVERTER.toPayload("*** (details withheld: they held a secret)").orElseThrow());
      }
    }
    return new EncodedValues(Optional.of(out.build()), CONVERTER);
  }

  private static Optional<Payloads> payloads(Values details) {
    if (!(details instanceof EncodedValues encoded) || details.getSize() == 0) {
      return Optional.empty();
    }
    try {
      encoded.setDataConverter(CONVERTER);
      return encoded.toPayloads();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
