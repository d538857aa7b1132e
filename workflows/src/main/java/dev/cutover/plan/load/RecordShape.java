package dev.cutover.plan.load;

import dev.cutover.plan.Derived;
import dev.cutover.plan.Required;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plan record's fields as the binder needs them, read once per type: each call of
 * getRecordComponents parses the components' annotations again, which made a plan of 40,000 steps
 * take most of a minute to bind.
 */
final class RecordShape {
  private static final ClassValue<RecordShape> SHAPES =
      new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
          return new RecordShape(type);
        }
      };

  final RecordComponent[] components;

  /** The YAML name of each component, in component order. */
  final String[] names;

  final boolean[] required;

  /** The fields a plan may write (derived ones excluded), by YAML name, in declaration order. */
  final Map<String, RecordComponent> byName;

  final Constructor<?> constructor;

  private RecordShape(Class<?> type) {
    components = type.getRecordComponents();
    names = new String[components.length];
    required = new boolean[components.length];
    Class<?>[] types = new Class<?>[components.length];
    Map<String, RecordComponent> fields = new LinkedHashMap<>();
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      names[i] = YamlBinder.yamlName(c);
      required[i] = c.isAnnotationPresent(Required.class);
      types[i] = c.getType();
      if (!c.isAnnotationPresent(Derived.class)) {
        fields.put(names[i], c);
      }
    }
    byName = Collections.unmodifiableMap(fields);
    try {
      constructor = type.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("plan model " + type + " has no canonical constructor", e);
    }
  }

  static RecordShape of(Class<?> type) {
    return SHAPES.get(type);
  }

  boolean isRequired(RecordComponent component) {
    for (int i = 0; i < components.length; i++) {
      if (components[i].equals(component)) {
        return required[i];
      }
    }
    return false;
  }
}
