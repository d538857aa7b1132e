package dev.cutover.secrets;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replaces resolved secret values in text that leaves the worker (output kept in results, failure
 * messages, heartbeat details, log lines), and the forms a program commonly prints them in:
 *
 * <ul>
 *   <li>the value as it is, without its trailing CR/LF, and trimmed;
 *   <li>each line of a value that spans lines (output is kept line by line);
 *   <li>JSON-escaped, with and without {@code \/} for {@code /} and {@code \}{@code uXXXX} for
 *       non-ASCII;
 *   <li>URL-encoded (form style with {@code +}, and {@code %20}; upper and lower case hex);
 *   <li>with backslash escapes interpreted, as dash's {@code echo} and {@code printf %b} print it;
 *   <li>base64 (standard and URL-safe alphabets): the value's own encoding, with and without
 *       padding, and the three alignments it can have inside a longer base64 stream (the characters
 *       that depend on the value's bytes only, so a value embedded in a base64-encoded file is
 *       masked but for a character or two at its edges);
 *   <li>hex, lower and upper case.
 * </ul>
 *
 * Forms shorter than {@link #MIN_LENGTH} characters are not masked: replacing every "ab" of an
 * output would destroy it and show nothing. A base64 alignment form shorter than {@link
 * #MIN_EMBEDDED_BASE64} is left out for the same reason (it would match unrelated base64).
 */
public final class SecretMask {
  public static final String MASK = "***";

  /** Shorter values and forms are left alone: masking them would mask unrelated text. */
  public static final int MIN_LENGTH = 3;

  /** The shortest base64 alignment fragment masked; shorter ones match random base64 too often. */
  static final int MIN_EMBEDDED_BASE64 = 8;

  public static final SecretMask NONE = new SecretMask(List.of(), List.of());

  /**
   * Masks built lately, by their values: every script an activity runs builds the same one (a key
   * and a config file take milliseconds). Bounded; the values are in the worker's memory anyway.
   */
  private static final int RECENT_MASKS = 32;

  private static final Map<Set<String>, SecretMask> RECENT =
      new LinkedHashMap<>(RECENT_MASKS, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Set<String>, SecretMask> eldest) {
          return size() > RECENT_MASKS;
        }
      };

  private final List<String> values;
  private final List<String> forms;

  private SecretMask(List<String> values, List<String> forms) {
    this.values = values;
    this.forms = forms;
  }

  /** A mask for these resolved values (nulls and duplicates ignored). */
  public static SecretMask of(Collection<String> secretValues) {
    Set<String> values = new LinkedHashSet<>();
    for (String v : secretValues) {
      if (v != null && !v.isEmpty()) {
        values.add(v);
      }
    }
    if (values.isEmpty()) {
      return NONE;
    }
    synchronized (RECENT) {
      SecretMask known = RECENT.get(values);
      if (known != null) {
        return known;
      }
    }
    SecretMask built = build(values);
    synchronized (RECENT) {
      RECENT.put(values, built);
    }
    return built;
  }

  /**
   * A mask for these values that bypasses the cache of recent masks: for {@link ResolvedSecrets},
   * whose ever-growing sets would only push out the masks the activities reuse.
   */
  static SecretMask uncached(Collection<String> secretValues) {
    Set<String> values = new LinkedHashSet<>();
    for (String v : secretValues) {
      if (v != null && !v.isEmpty()) {
        values.add(v);
      }
    }
    return values.isEmpty() ? NONE : build(values);
  }

  private static SecretMask build(Set<String> values) {
    Set<String> forms = new LinkedHashSet<>();
    for (String v : values) {
      addForms(v, forms);
    }
    List<String> sorted = new ArrayList<>(forms);
    // Longest first, so a whole value is masked before any part of it (a line of a key file).
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    return new SecretMask(List.copyOf(values), List.copyOf(sorted));
  }

  /** This mask and {@code more} values. */
  public SecretMask with(Collection<String> more) {
    if (more == null || more.isEmpty()) {
      return this;
    }
    List<String> all = new ArrayList<>(values);
    all.addAll(more);
    return of(all);
  }

  /** This mask and the other's values. */
  public SecretMask with(SecretMask other) {
    return other == null || other.values.isEmpty() ? this : with(other.values);
  }

  public boolean isEmpty() {
    return forms.isEmpty();
  }

  /** The resolved values themselves, for a mask built on another thread; never for output. */
  public List<String> values() {
    return values;
  }

  /** The length of the longest form masked: text shorter than it may hold the start of one. */
  public int longest() {
    return forms.isEmpty() ? 0 : forms.get(0).length();
  }

  /** The text with every form of every value replaced by {@value #MASK}. */
  public String mask(String text) {
    if (text == null || text.isEmpty() || forms.isEmpty()) {
      return text;
    }
    String out = text;
    for (String form : forms) {
      if (out.contains(form)) {
        out = out.replace(form, MASK);
      }
    }
    return out;
  }

  /** Whether the text holds any form of any value. */
  public boolean exposes(String text) {
    if (text == null || forms.isEmpty()) {
      return false;
    }
    for (String form : forms) {
      if (text.contains(form)) {
        return true;
      }
    }
    return false;
  }

  /** Every form masked, for tests that scan what left the worker. */
  public List<String> forms() {
    return forms;
  }

  private static void addForms(String value, Set<String> forms) {
    Set<String> bases = new LinkedHashSet<>();
    bases.add(value);
    bases.add(stripTrailingNewlines(value));
    bases.add(value.strip());
    String interpreted = interpretBackslashes(value);
    bases.add(interpreted);
    bases.add(stripTrailingNewlines(interpreted));
    for (String base : List.copyOf(bases)) {
      if (base.indexOf('\n') >= 0 || base.indexOf('\r') >= 0) {
        bases.add(base.replace("\r\n", "\n").replace("\n", "\r\n"));
        for (String line : base.split("\r\n|\r|\n")) {
          add(forms, line);
          add(forms, line.strip());
        }
      }
    }
    for (String base : bases) {
      add(forms, base);
      add(forms, json(base, false, false));
      add(forms, json(base, true, false));
      add(forms, json(base, false, true));
      add(forms, json(base, true, true));
      String form = URLEncoder.encode(base, StandardCharsets.UTF_8);
      add(forms, form);
      add(forms, form.replace("+", "%20"));
      add(forms, lowerPercent(form));
      add(forms, lowerPercent(form.replace("+", "%20")));
      byte[] bytes = base.getBytes(StandardCharsets.UTF_8);
      addBase64(forms, bytes, Base64.getEncoder());
      addBase64(forms, bytes, Base64.getUrlEncoder());
      String hex = HexFormat.of().formatHex(bytes);
      add(forms, hex);
      add(forms, hex.toUpperCase(Locale.ROOT));
    }
  }

  private static void add(Set<String> forms, String form) {
    if (form != null && form.length() >= MIN_LENGTH && !form.isBlank()) {
      forms.add(form);
    }
  }

  private static void addBase64(Set<String> forms, byte[] bytes, Base64.Encoder encoder) {
    String whole = encoder.encodeToString(bytes);
    add(forms, whole);
    add(forms, whole.replace("=", ""));
    // Inside a longer stream the value starts at byte offset 0, 1 or 2 of a 3-byte group. The
    // characters that encode only the value's bits are the same whatever surrounds it.
    for (int offset = 0; offset < 3; offset++) {
      byte[] shifted = new byte[offset + bytes.length];
      System.arraycopy(bytes, 0, shifted, offset, bytes.length);
      String encoded = encoder.withoutPadding().encodeToString(shifted);
      int from = (8 * offset + 5) / 6;
      int to = 8 * (offset + bytes.length) / 6;
      if (to - from >= MIN_EMBEDDED_BASE64) {
        forms.add(encoded.substring(from, to));
      }
    }
  }

  /** As a JSON encoder writes the string's content (without the quotes). */
  static String json(String s, boolean escapeSlash, boolean asciiOnly) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '/' -> b.append(escapeSlash ? "\\/" : "/");
        default -> {
          if (c < 0x20 || (asciiOnly && c > 0x7e)) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private static String lowerPercent(String encoded) {
    StringBuilder b = new StringBuilder(encoded);
    for (int i = 0; i + 2 < b.length(); i++) {
      if (b.charAt(i) == '%') {
        b.setCharAt(i + 1, Character.toLowerCase(b.charAt(i + 1)));
        b.setCharAt(i + 2, Character.toLowerCase(b.charAt(i + 2)));
      }
    }
    return b.toString();
  }

  private static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }

  /**
   * The value as dash's {@code echo} (and {@code printf %b}) prints it: {@code \\}, {@code \n},
   * {@code \t}, {@code \r}, {@code \a}, {@code \b}, {@code \f}, {@code \v}, {@code \0nnn} octal,
   * and {@code \c} ending the output.
   */
  static String interpretBackslashes(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        b.append(c);
        continue;
      }
      char n = s.charAt(++i);
      switch (n) {
        case '\\' -> b.append('\\');
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'a' -> b.append('\u0007');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'v' -> b.append('\u000b');
        case 'c' -> {
          return b.toString();
        }
        case '0' -> {
          int value = 0;
          int digits = 0;
          while (digits < 3
              && i + 1 < s.length()
              && s.charAt(i + 1) >= '0'
              && s.charAt(i + 1) <= '7') {
            value = value * 8 + (s.charAt(++i) - '0');
            digits++;
          }
          b.append((char) (value & 0xff));
        }
        default -> b.append('\\').append(n);
      }
    }
    return b.toString();
  }
}
