package dev.cutover.steps.postgres;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL major version, comparable across the 9.x and the 10+ numbering: 9.6 and 15 are
 * different majors, 15.2 and 15.8 are the same. Servers report {@code server_version_num} (150008,
 * 90624); client tools print {@code pg_dump (PostgreSQL) 15.8 (Debian ...)}.
 *
 * @param num the version as {@code server_version_num} counts it, minor part cut off (150000,
 *     90600)
 */
public record PgVersion(int num) implements Comparable<PgVersion> {
  private static final Pattern TOOL = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

  /** The major of a server's {@code server_version_num}. */
  public static PgVersion ofServer(int serverVersionNum) {
    return new PgVersion(
        serverVersionNum >= 100000
            ? serverVersionNum / 10000 * 10000
            : serverVersionNum / 100 * 100);
  }

  /** The major of a tool's {@code --version} line; {@code null} when the line is not one. */
  public static PgVersion ofTool(String versionLine) {
    Matcher m = TOOL.matcher(versionLine == null ? "" : versionLine);
    if (!m.find()) {
      return null;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    return new PgVersion(major >= 10 ? major * 10000 : major * 10000 + minor * 100);
  }

  /**
   * The version from its first number, as a tool's line or {@code server_version} shows it: "15.8".
   */
  public static String display(String versionText) {
    if (versionText == null) {
      return null;
    }
    Matcher m = Pattern.compile("\\d+(\\.\\d+)*").matcher(versionText);
    return m.find() ? m.group() : versionText.trim();
  }

  public boolean olderThan(PgVersion other) {
    return compareTo(other) < 0;
  }

  /** Whether logical replication (publications, subscriptions) exists: PostgreSQL 10 and later. */
  public boolean hasLogicalReplication() {
    return num >= 100000;
  }

  @Override
  public int compareTo(PgVersion other) {
    return Integer.compare(num, other.num);
  }

  /** "15", "9.6": how PostgreSQL names its majors, and how a client package is named after them. */
  @Override
  public String toString() {
    return num >= 100000 ? Integer.toString(num / 10000) : num / 10000 + "." + num / 100 % 100;
  }
}
