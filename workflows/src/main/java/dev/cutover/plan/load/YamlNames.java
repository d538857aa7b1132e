package dev.cutover.plan.load;

import dev.cutover.plan.YamlName;
import java.util.Locale;

/**
 * How enum values are written in plan files: lower case with hyphens, unless the constant says
 * otherwise.
 */
public final class YamlNames {
  private YamlNames() {}

  /**
   * {@code HOST_TOOLS} is {@code host-tools}; a constant marked {@link YamlName} (DNS's {@code
   * AAAA}) keeps that name.
   */
  public static String ofConstant(Enum<?> constant) {
    try {
      YamlName name =
          constant.getDeclaringClass().getField(constant.name()).getAnnotation(YamlName.class);
      return name != null
          ? name.value()
          : constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    } catch (NoSuchFieldException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
