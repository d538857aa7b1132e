package dev.cutover.plan;

import java.util.regex.Pattern;

/**
 * Shapes of names and addresses that several parts of a plan (entries and step kinds) check the
 * same way.
 */
public final class PlanPatterns {
  /**
   * Database, role and schema names as cutover quotes them into SQL and shells: no quotes, no
   * spaces.
   */
  public static final Pattern PG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$-]{0,62}");

  public static final Pattern DNS_NAME =
      Pattern.compile(
          "(?=.{1,253}\\.?$)([A-Za-z0-9_*]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");
  public static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");
  public static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private PlanPatterns() {}
}
