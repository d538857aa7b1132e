package dev.cutover.steps.pgswitch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PgBouncer config file ({@code pgbouncer.ini} or a file it {@code %include}s) as text, with the
 * one {@code [databases]} entry a switch repoints. Only that entry's line is ever changed; every
 * other byte of the file stays as it was, comments and line ends included. Pure: no I/O.
 *
 * <p>An entry's value is a libpq-like string, {@code host=10.0.0.2 port=5432 dbname=shop
 * pool_size=20}, which PgBouncer reads as {@code key=value} pairs whose values may be in single
 * quotes (a quote inside doubled). A repoint sets {@code host}, {@code port} and {@code dbname},
 * each quoted, and keeps every other key (user, pool size, auth user...) as written.
 */
final class BouncerConfig {
  private static final Pattern SECTION = Pattern.compile("^\\s*\\[([^\\]]*)\\]\\s*$");
  private static final Pattern ENTRY =
      Pattern.compile("^(\\s*)(\"(?:[^\"]|\"\")*\"|[^=\\s;#\"]+)(\\s*=\\s*)(.*?)(\\s*)$");

  private final String text;

  BouncerConfig(String text) {
    this.text = text;
  }

  String text() {
    return text;
  }

  /** The entry's line, or {@code null} when the file has none. */
  String line(String entry) {
    Found f = find(entry);
    return f == null ? null : f.line;
  }

  /** Where the entry sends clients, as the file says; {@code null} when the file has none. */
  BouncerEntry entry(String entry) {
    Found f = find(entry);
    return f == null ? null : parse(entry, f.value);
  }

  /** The file with {@code entry}'s whole line replaced by {@code newLine}. */
  BouncerConfig withLine(String entry, String newLine) {
    Found f = find(entry);
    if (f == null) {
      throw new IllegalArgumentException("no entry " + entry);
    }
    return new BouncerConfig(text.substring(0, f.start) + newLine + text.substring(f.end));
  }

  /**
   * The entry's line sending clients to {@code host}:{@code port}/{@code database}, its other keys
   * kept.
   */
  String repointedLine(String entry, String host, int port, String database) {
    Found f = find(entry);
    if (f == null) {
      throw new IllegalArgumentException("no entry " + entry);
    }
    for (String v : new String[] {host, database}) {
      if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0 || v.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("a line break cannot be in a PgBouncer value");
      }
    }
    Map<String, String> pairs = pairs(f.value);
    Map<String, String> out = new LinkedHashMap<>();
    // host, port and dbname first, in that order, then the rest as they were.
    out.put("host", quote(host));
    out.put("port", Integer.toString(port));
    out.put("dbname", quote(database));
    pairs.forEach(
        (k, raw) -> {
          String key = k.toLowerCase(Locale.ROOT);
          if (!key.equals("host") && !key.equals("port") && !key.equals("dbname")) {
            out.put(k, raw);
          }
        });
    StringBuilder value = new StringBuilder();
    out.forEach(
        (k, v) -> value.append(value.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return f.indent + f.key + f.equals + value;
  }

  /** A value as PgBouncer reads it back: always in single quotes, a quote inside doubled. */
  static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  // --- reading ----------------------------------------------------------------------------------

  private record Found(
      int start, int end, String line, String indent, String key, String equals, String value) {}

  /**
   * The entry in a {@code [databases]} section, or in a file without sections (an included file
   * takes the section it is included in). Fails when the entry is there twice: which one counts
   * would be a guess.
   */
  private Found find(String entry) {
    boolean anySection = SECTION.matcher(firstSectionProbe()).find();
    String section = null;
    Found found = null;
    int at = 0;
    while (at < text.length()) {
      int nl = text.indexOf('\n', at);
      int lineEnd = nl < 0 ? text.length() : nl;
      int contentEnd = lineEnd > at && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
      String line = text.substring(at, contentEnd);
      Matcher s = SECTION.matcher(line);
      if (s.matches()) {
        section = s.group(1).trim().toLowerCase(Locale.ROOT);
      } else if (!line.stripLeading().startsWith(";")
          && !line.stripLeading().startsWith("#")
          && (anySection ? "databases".equals(section) : true)) {
        Matcher m = ENTRY.matcher(line);
        if (m.matches() && unquoteKey(m.group(2)).equals(entry)) {
          if (found != null) {
            throw new IllegalStateException("entry " + entry + " is in the file twice");
          }
          found = new Found(at, contentEnd, line, m.group(1), m.group(2), m.group(3), m.group(4));
        }
      }
      at = nl < 0 ? text.length() : nl + 1;
    }
    return found;
  }

  private String firstSectionProbe() {
    for (String line : text.split("\n", -1)) {
      if (SECTION.matcher(line.replace("\r", "")).matches()) {
        return line.replace("\r", "");
      }
    }
    return "";
  }

  private static String unquoteKey(String key) {
    return key.startsWith("\"") ? key.substring(1, key.length() - 1).replace("\"\"", "\"") : key;
  }

  static BouncerEntry parse(String name, String value) {
    Map<String, String> pairs = pairs(value);
    String host = null;
    Integer port = null;
    String database = null;
    for (Map.Entry<String, String> p : pairs.entrySet()) {
      String key = p.getKey().toLowerCase(Locale.ROOT);
      String v = unquote(p.getValue());
      switch (key) {
        case "host" -> host = v;
        case "port" -> {
          try {
            port = Integer.valueOf(v.trim());
          } catch (NumberFormatException e) {
            port = null;
          }
        }
        case "dbname" -> database = v;
        default -> {}
      }
    }
    return new BouncerEntry(name, host, port, database);
  }

  /** The {@code key=value} pairs of an entry, values raw (quotes kept), in order. */
  static Map<String, String> pairs(String value) {
    Map<String, String> pairs = new LinkedHashMap<>();
    int i = 0;
    int n = value.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(value.charAt(i))) {
        i++;
      }
      int keyStart = i;
      while (i < n && value.charAt(i) != '=' && !Character.isWhitespace(value.charAt(i))) {
        i++;
      }
      String key = value.substring(keyStart, i);
      while (i < n && Character.isWhitespace(value.charAt(i))) {
        i++;
      }
      if (i >= n || value.charAt(i) != '=') {
        if (!key.isEmpty()) {
          pairs.put(key, "");
        }
        continue;
      }
      i++;
      while (i < n && Character.isWhitespace(value.charAt(i))) {
        i++;
      }
      int valueStart = i;
      if (i < n && value.charAt(i) == '\'') {
        i++;
        while (i < n) {
          if (value.charAt(i) == '\'') {
            if (i + 1 < n && value.charAt(i + 1) == '\'') {
              i += 2;
              continue;
            }
            i++;
            break;
          }
          i++;
        }
      } else {
        while (i < n && !Character.isWhitespace(value.charAt(i))) {
          i++;
        }
      }
      if (!key.isEmpty()) {
        pairs.put(key, value.substring(valueStart, i));
      }
    }
    return pairs;
  }

  private static String unquote(String raw) {
    if (raw.length() >= 2 && raw.startsWith("'") && raw.endsWith("'")) {
      return raw.substring(1, raw.length() - 1).replace("''", "'");
    }
    return raw;
  }

  /** The names of every entry in the file's [databases] section, for messages. */
  List<String> names() {
    List<String> names = new ArrayList<>();
    String section = null;
    boolean anySection = SECTION.matcher(firstSectionProbe()).find();
    for (String raw : text.split("\n", -1)) {
      String line = raw.replace("\r", "");
      Matcher s = SECTION.matcher(line);
      if (s.matches()) {
        section = s.group(1).trim().toLowerCase(Locale.ROOT);
        continue;
      }
      if (line.stripLeading().startsWith(";") || line.stripLeading().startsWith("#")) {
        continue;
      }
      if (anySection && !"databases".equals(section)) {
        continue;
      }
      Matcher m = ENTRY.matcher(line);
      if (m.matches()) {
        names.add(unquoteKey(m.group(2)));
      }
    }
    return names;
  }
}
