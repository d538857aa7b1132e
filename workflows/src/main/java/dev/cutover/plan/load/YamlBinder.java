package dev.cutover.plan.load;

import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import dev.cutover.plan.StepSpec;
import dev.cutover.plan.StepSpecTable;
import dev.cutover.plan.YamlName;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a YAML node tree onto the plan records, collecting every problem with its line and column
 * instead of stopping at the first. Jackson cannot do this: it loses node positions and stops at
 * the first error.
 */
final class YamlBinder {
  /**
   * The tags a plan's values may carry: those YAML gives plain values itself. Any other tag ({@code
   * !shell}, {@code !!binary}, {@code !!python/object}) asks for a meaning cutover does not give
   * it, and ignoring it would run the value as if the tag were not there.
   */
  private static final Set<Tag> PLAIN_TAGS =
      Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL, Tag.MAP, Tag.SEQ, Tag.TIMESTAMP);

  private final String file;
  private final Instant now;
  private final List<PlanProblem> problems = new ArrayList<>();
  private final Map<String, Mark> marks = new HashMap<>();

  /**
   * @param now the moment date-times are measured from
   */
  YamlBinder(String file, Instant now) {
    this.file = file;
    this.now = now;
  }

  List<PlanProblem> problems() {
    return problems;
  }

  /** Where each field path starts in the file, for the validator's messages. */
  Map<String, Mark> marks() {
    return marks;
  }

  void problem(Mark mark, String path, String message) {
    problems.add(new PlanProblem(file, mark.getLine() + 1, mark.getColumn() + 1, path, message));
  }

  Object bind(Node node, Type type, String path) {
    marks.putIfAbsent(path, node.getStartMark());
    if (!PLAIN_TAGS.contains(node.getTag())) {
      // Refused, but bound as if untagged: what refers to this value should not report it missing.
      problem(node.getStartMark(), path, unknownTag(node.getTag()));
    }
    if (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
      return null;
    }
    Class<?> raw = rawClass(type);
    if (raw == Step.class) {
      return bindStep(node, path);
    }
    if (raw.isRecord()) {
      return bindRecord(node, raw, path);
    }
    if (List.class.isAssignableFrom(raw)) {
      return bindList(node, typeArgument(type, 0), path);
    }
    if (Map.class.isAssignableFrom(raw)) {
      return bindMap(node, typeArgument(type, 1), path);
    }
    if (!(node instanceof ScalarNode scalar)) {
      problem(node.getStartMark(), path, "expected " + describe(raw) + ", found " + nodeKind(node));
      return null;
    }
    return bindScalar(scalar, raw, path);
  }

  /**
   * A step is one mapping in the file: the envelope's fields ({@link Step#COMMON}) and its kind's
   * spec fields side by side. The kind is read first, so every other key is bound to the envelope,
   * to the kind's spec, or refused as belonging to another kind (or to none).
   */
  private Object bindStep(Node node, String path) {
    if (!(node instanceof MappingNode mapping)) {
      problem(node.getStartMark(), path, "expected a mapping of fields, found " + nodeKind(node));
      return null;
    }
    StepKind kind = null;
    for (NodeTuple tuple : mapping.getValue()) {
      if (tuple.getKeyNode() instanceof ScalarNode k
          && k.getValue().equals("kind")
          && tuple.getValueNode() instanceof ScalarNode v
          && !v.getTag().equals(Tag.NULL)) {
        kind = enumValue(StepKind.class, v.getValue());
      }
    }
    Class<? extends StepSpec> specType = kind == null ? null : StepSpecTable.get().specOf(kind);
    List<NodeTuple> envelope = new ArrayList<>();
    List<NodeTuple> own = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
      if (key != null && !Step.COMMON.contains(key) && !seen.add(key)) {
        problem(
            tuple.getKeyNode().getStartMark(), join(path, key), "duplicate field '" + key + "'");
        continue;
      }
      if (key == null || Step.COMMON.contains(key)) {
        envelope.add(tuple);
      } else if (specType != null && RecordShape.of(specType).byName.containsKey(key)) {
        own.add(tuple);
      } else if (kind != null && StepSpecFields.anyKindHas(key)) {
        marks.putIfAbsent(join(path, key), tuple.getValueNode().getStartMark());
        problem(
            tuple.getValueNode().getStartMark(),
            join(path, key),
            "field '"
                + key
                + "' does not apply to a "
                + kind.yamlName()
                + " step; its fields are: "
                + String.join(
                    ", ", new java.util.TreeSet<>(RecordShape.of(specType).byName.keySet())));
      } else if (kind == null && StepSpecFields.anyKindHas(key)) {
        // Without a kind (missing or unknown, reported already) no field of a kind can be judged.
        marks.putIfAbsent(join(path, key), tuple.getKeyNode().getStartMark());
      } else {
        List<String> expected = new ArrayList<>(Step.COMMON);
        expected.addAll(
            specType == null ? StepSpecFields.all() : RecordShape.of(specType).byName.keySet());
        problem(
            tuple.getKeyNode().getStartMark(),
            join(path, key),
            "unknown field '"
                + key
                + "'"
                + suggestion(key, new java.util.LinkedHashSet<>(expected))
                + "; expected one of: "
                + String.join(", ", expected));
      }
    }
    StepSpec spec = null;
    if (specType != null) {
      MappingNode specNode =
          new MappingNode(
              Tag.MAP,
              true,
              own,
              mapping.getStartMark(),
              mapping.getEndMark(),
              mapping.getFlowStyle());
      spec = (StepSpec) bindRecord(specNode, specType, path);
    }
    MappingNode envelopeNode =
        new MappingNode(
            Tag.MAP,
            true,
            envelope,
            mapping.getStartMark(),
            mapping.getEndMark(),
            mapping.getFlowStyle());
    Step bound = (Step) bindRecord(envelopeNode, Step.class, path);
    if (bound == null || (specType != null && spec == null)) {
      return bound;
    }
    return new Step(
        bound.name(),
        bound.kind(),
        bound.description(),
        bound.timeout(),
        bound.retry(),
        bound.onFailure(),
        bound.undo(),
        bound.pointOfNoReturn(),
        spec);
  }

  private static <E> E enumValue(Class<E> type, String text) {
    for (E constant : type.getEnumConstants()) {
      if (enumYamlName((Enum<?>) constant).equals(text.trim())) {
        return constant;
      }
    }
    return null;
  }

  private Object bindRecord(Node node, Class<?> type, String path) {
    if (!(node instanceof MappingNode mapping)) {
      problem(node.getStartMark(), path, "expected a mapping of fields, found " + nodeKind(node));
      return null;
    }
    RecordShape shape = RecordShape.of(type);
    RecordComponent[] components = shape.components;
    Map<String, RecordComponent> byName = shape.byName;
    Map<String, Object> values = new HashMap<>();
    Set<String> seen = new HashSet<>();
    Map<String, Node> explicitNulls = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyOf(tuple.getKeyNode(), path);
      if (key == null) {
        continue;
      }
      String childPath = join(path, key);
      if (!seen.add(key)) {
        problem(tuple.getKeyNode().getStartMark(), childPath, "duplicate field '" + key + "'");
        continue;
      }
      RecordComponent component = byName.get(key);
      if (component == null) {
        problem(
            tuple.getKeyNode().getStartMark(),
            childPath,
            "unknown field '"
                + key
                + "'"
                + suggestion(key, byName.keySet())
                + "; expected one of: "
                + String.join(", ", byName.keySet()));
        continue;
      }
      if (tuple.getValueNode() instanceof ScalarNode v && v.getTag().equals(Tag.NULL)) {
        explicitNulls.put(key, v);
        if (!shape.isRequired(component)
            && (component.getType().isRecord()
                || List.class.isAssignableFrom(component.getType()))) {
          // `prepare:` with nothing under it would silently drop the phase the operator meant to
          // write.
          problem(v.getStartMark(), childPath, "'" + key + "' is empty: fill it in or remove it");
        }
      }
      // The value's own position goes first: an error about a value points at the value.
      values.put(key, bind(tuple.getValueNode(), component.getGenericType(), childPath));
      marks.putIfAbsent(childPath, tuple.getKeyNode().getStartMark());
    }
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = values.get(shape.names[i]);
      if (args[i] == null && shape.required[i]) {
        String name = shape.names[i];
        if (!seen.contains(name)) {
          problem(
              mapping.getStartMark(), join(path, name), "missing required field '" + name + "'");
        } else if (explicitNulls.containsKey(name)) {
          problem(
              explicitNulls.get(name).getStartMark(),
              join(path, name),
              "field '" + name + "' must have a value");
        }
        // otherwise the value was there and its own problem is already reported
      }
    }
    try {
      return shape.constructor.newInstance(args);
    } catch (InvocationTargetException e) {
      problem(mapping.getStartMark(), path, e.getCause().getMessage());
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("plan model " + type + " has no canonical constructor", e);
    }
  }

  private List<Object> bindList(Node node, Type elementType, String path) {
    if (!(node instanceof SequenceNode seq)) {
      problem(node.getStartMark(), path, "expected a list, found " + nodeKind(node));
      return null;
    }
    List<Object> result = new ArrayList<>();
    int i = 0;
    for (Node item : seq.getValue()) {
      Object value = bind(item, elementType, path + "[" + i + "]");
      if (value != null) {
        result.add(value);
      }
      i++;
    }
    return result;
  }

  private Map<String, Object> bindMap(Node node, Type valueType, String path) {
    if (!(node instanceof MappingNode mapping)) {
      problem(node.getStartMark(), path, "expected a mapping, found " + nodeKind(node));
      return null;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    Set<String> seenKeys = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = keyOf(tuple.getKeyNode(), path);
      if (key == null) {
        continue;
      }
      String childPath = join(path, key);
      if (!seenKeys.add(key)) {
        problem(tuple.getKeyNode().getStartMark(), childPath, "duplicate key '" + key + "'");
        continue;
      }
      marks.putIfAbsent(childPath, tuple.getKeyNode().getStartMark());
      if (tuple.getValueNode() instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
        problem(tuple.getValueNode().getStartMark(), childPath, "'" + key + "' has no value");
        continue;
      }
      Object value = bind(tuple.getValueNode(), valueType, childPath);
      if (value != null) {
        result.put(key, value);
      }
    }
    return result;
  }

  private Object bindScalar(ScalarNode node, Class<?> type, String path) {
    String text = node.getValue();
    Mark mark = node.getStartMark();
    if (type == String.class) {
      return text;
    }
    if (type == Integer.class || type == int.class) {
      try {
        return Integer.parseInt(text.trim());
      } catch (NumberFormatException e) {
        problem(mark, path, "expected a whole number, found '" + text + "'");
        return null;
      }
    }
    if (type == Double.class || type == double.class) {
      try {
        double value = Double.parseDouble(text.trim());
        if (Double.isFinite(value)) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problem(mark, path, "expected a number, found '" + text + "'");
      return null;
    }
    if (type == Boolean.class || type == boolean.class) {
      if (text.equals("true") || text.equals("false")) {
        return Boolean.parseBoolean(text);
      }
      problem(mark, path, "expected true or false, found '" + text + "'");
      return null;
    }
    if (type == Duration.class) {
      Duration d = DurationText.parse(text);
      if (d == null) {
        problem(
            mark,
            path,
            "bad duration '"
                + text
                + "': write a number with a unit, like 30s, 15m, 2h, 1d or 1h30m");
      } else if (d.compareTo(PlanLimits.MAX_DURATION) > 0) {
        problem(
            mark,
            path,
            "'"
                + text
                + "' is longer than cutover can wait: at most "
                + DurationText.format(PlanLimits.MAX_DURATION)
                + " (10 years)");
        return null;
      } else if (d.getNano() % 1_000_000 != 0) {
        // Temporal counts timers and timeouts in milliseconds: a finer part would be cut, and a
        // wait of PT0.0001S would become a timer of zero.
        problem(
            mark,
            path,
            "'"
                + text
                + "' is finer than a millisecond; durations are whole milliseconds, like 500ms or PT0.5S");
        return null;
      }
      return d;
    }
    if (type == Instant.class) {
      Instant instant;
      try {
        instant = OffsetDateTime.parse(text.trim()).toInstant();
      } catch (DateTimeParseException e) {
        problem(
            mark,
            path,
            "bad date-time '"
                + text
                + "': write ISO-8601 with an offset, like 2026-12-01T22:00:00Z");
        return null;
      }
      Duration distance = Duration.between(now, instant).abs();
      if (distance.compareTo(PlanLimits.MAX_DATE_DISTANCE) > 0) {
        problem(
            mark,
            path,
            "'"
                + text
                + "' is more than "
                + DurationText.format(PlanLimits.MAX_DATE_DISTANCE)
                + " (10 years) "
                + (instant.isAfter(now)
                    ? "from now: cutover cannot wait that long"
                    : "ago: a mistyped year?")
                + "; date-times must lie within 10 years of today");
        return null;
      }
      return instant;
    }
    if (type.isEnum()) {
      for (Object constant : type.getEnumConstants()) {
        if (enumYamlName((Enum<?>) constant).equals(text.trim())) {
          return constant;
        }
      }
      String allowed =
          java.util.Arrays.stream(type.getEnumConstants())
              .map(c -> enumYamlName((Enum<?>) c))
              .collect(Collectors.joining(", "));
      problem(mark, path, "unknown value '" + text + "'; expected one of: " + allowed);
      return null;
    }
    throw new IllegalStateException("plan model uses unsupported type " + type);
  }

  private String keyOf(Node keyNode, String path) {
    if (keyNode instanceof ScalarNode s) {
      // A merge key (<<) is reported as the unknown field it is.
      if (!PLAIN_TAGS.contains(s.getTag()) && !s.getTag().equals(Tag.MERGE)) {
        problem(s.getStartMark(), join(path, s.getValue()), unknownTag(s.getTag()));
      }
      return s.getValue();
    }
    problem(keyNode.getStartMark(), path, "keys must be plain names, found " + nodeKind(keyNode));
    return null;
  }

  private static String unknownTag(Tag tag) {
    String written =
        tag.getValue().startsWith(Tag.PREFIX)
            ? "!!" + tag.getValue().substring(Tag.PREFIX.length())
            : tag.getValue();
    return "unknown YAML tag '"
        + written
        + "': plans use no tags; remove it (quote the value if it starts with '!')";
  }

  static String enumYamlName(Enum<?> constant) {
    return YamlNames.ofConstant(constant);
  }

  static String yamlName(RecordComponent c) {
    YamlName n = c.getAnnotation(YamlName.class);
    return n == null ? c.getName() : n.value();
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    throw new IllegalStateException("unsupported type " + type);
  }

  static Type typeArgument(Type type, int index) {
    return ((ParameterizedType) type).getActualTypeArguments()[index];
  }

  private static String nodeKind(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }

  private static String describe(Class<?> type) {
    if (type == String.class) return "a text value";
    if (type == Duration.class) return "a duration like 15m";
    if (type == Instant.class) return "a date-time";
    if (type == Boolean.class) return "true or false";
    if (type == Integer.class || type == Double.class) return "a number";
    if (type.isEnum())
      return "one of the names "
          + java.util.Arrays.stream(type.getEnumConstants())
              .map(c -> enumYamlName((Enum<?>) c))
              .collect(Collectors.joining(", "));
    return "a value";
  }

  /** A "did you mean" for a key one or two typos away from a known one. */
  private static String suggestion(String key, Set<String> known) {
    for (String k : known) {
      if (distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT)) <= 2) {
        return " (did you mean '" + k + "'?)";
      }
    }
    return "";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
