package dev.cutover.steps;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.plan.StepKind;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a {@link BuiltInUndo} into its kind's record. Earlier versions wrote one record with a
 * field per kind, the others null: those nulls are skipped; a set field the kind's record does not
 * have is an error, never dropped.
 */
public final class BuiltInUndoReader extends StdDeserializer<BuiltInUndo> {
  public BuiltInUndoReader() {
    super(BuiltInUndo.class);
  }

  @Override
  public BuiltInUndo deserialize(JsonParser parser, DeserializationContext ctxt)
      throws IOException {
    JsonNode tree = ctxt.readTree(parser);
    if (!(tree instanceof ObjectNode node) || !node.hasNonNull("kind")) {
      return (BuiltInUndo) ctxt.handleUnexpectedToken(BuiltInUndo.class, parser);
    }
    StepKind kind = ctxt.readTreeAsValue(node.get("kind"), StepKind.class);
    Class<? extends BuiltInUndo> type = StepKinds.of(kind).undo();
    if (type == null) {
      return (BuiltInUndo)
          ctxt.reportInputMismatch(BuiltInUndo.class, "step kind %s has no built-in undo", kind);
    }
    RecordComponent[] components = type.getRecordComponents();
    Set<String> own =
        Arrays.stream(components).map(RecordComponent::getName).collect(Collectors.toSet());
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!own.contains(field.getKey()) && !field.getValue().isNull()) {
        ctxt.reportInputMismatch(
            BuiltInUndo.class,
            "field '%s' does not belong to the undo of a %s step",
            field.getKey(),
            kind.yamlName());
      }
    }
    // Built field by field: binding the record itself would come back here, since it inherits this
    // reader.
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      JsonNode value = node.get(components[i].getName());
      types[i] = components[i].getType();
      args[i] = value == null || value.isNull() ? null : ctxt.readTreeAsValue(value, types[i]);
    }
    try {
      return type.getDeclaredConstructor(types).newInstance(args);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }
}
