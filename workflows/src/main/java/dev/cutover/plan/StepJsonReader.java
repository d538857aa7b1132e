package dev.cutover.plan;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a {@link Step} from its flat JSON: the envelope's fields, and the rest into the spec that
 * {@code kind} names. Histories recorded before steps had specs hold every kind's fields on every
 * step, nulls and empty lists for the fields of other kinds: those are skipped. A set field the
 * kind does not own is an error, never silently dropped.
 */
public final class StepJsonReader extends StdDeserializer<Step> {
  /** The field names of each spec record, read once per type. */
  private static final ClassValue<Set<String>> FIELDS =
      new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> type) {
          return Arrays.stream(type.getRecordComponents())
              .map(RecordComponent::getName)
              .collect(Collectors.toUnmodifiableSet());
        }
      };

  public StepJsonReader() {
    super(Step.class);
  }

  @Override
  public Step deserialize(JsonParser parser, DeserializationContext ctxt) throws IOException {
    JsonNode tree = ctxt.readTree(parser);
    if (!(tree instanceof ObjectNode node)) {
      return (Step) ctxt.handleUnexpectedToken(Step.class, parser);
    }
    StepKind kind = value(ctxt, node, "kind", StepKind.class);
    Class<? extends StepSpec> specType = kind == null ? null : StepSpecTable.get().specOf(kind);
    Set<String> own = specType == null ? Set.of() : FIELDS.get(specType);
    ObjectNode specNode = JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String name = field.getKey();
      if (Step.COMMON.contains(name)) {
        continue;
      }
      if (own.contains(name)) {
        specNode.set(name, field.getValue());
      } else if (!unset(field.getValue())) {
        ctxt.reportInputMismatch(
            Step.class,
            "field '%s' does not apply to a %s step",
            name,
            kind == null ? "kindless" : kind.yamlName());
      }
    }
    StepSpec spec = specType == null ? null : ctxt.readTreeAsValue(specNode, specType);
    return new Step(
        value(ctxt, node, "name", String.class),
        kind,
        value(ctxt, node, "description", String.class),
        value(ctxt, node, "timeout", Duration.class),
        value(ctxt, node, "retry", Retry.class),
        value(ctxt, node, "onFailure", OnFailure.class),
        value(ctxt, node, "undo", Step.class),
        value(ctxt, node, "pointOfNoReturn", Boolean.class),
        spec);
  }

  /** How an earlier version wrote a field of another kind: null, or an empty list or map. */
  private static boolean unset(JsonNode value) {
    return value == null || value.isNull() || (value.isContainerNode() && value.isEmpty());
  }

  private static <T> T value(
      DeserializationContext ctxt, ObjectNode node, String name, Class<T> type) throws IOException {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : ctxt.readTreeAsValue(value, type);
  }
}
