package dev.cutover.steps.dns;

import java.util.Locale;

/**
 * A record's name as the plan writes it, made absolute, so one record has one key however it is
 * written.
 */
public final class DnsNames {
  private DnsNames() {}

  /**
   * {@code www} in {@code example.org} is {@code www.example.org}; {@code @} is the zone; a name
   * ending in the zone (or a dot) is already absolute. Without a zone (a hosts file) the name is
   * kept. Lower case, no trailing dot.
   */
  public static String absolute(String zone, String record) {
    String name = record.toLowerCase(Locale.ROOT);
    if (zone == null) {
      return strip(name);
    }
    String z = strip(zone.toLowerCase(Locale.ROOT));
    if (name.equals("@")) {
      return z;
    }
    if (name.endsWith(".")) {
      return strip(name);
    }
    if (name.equals(z) || name.endsWith("." + z)) {
      return name;
    }
    return name + "." + z;
  }

  private static String strip(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
