package dev.cutover.steps.dns;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The canonical text of record values, so that what a plan says and what a server or file answers
 * compare as equal: IPv4 addresses dotted, IPv6 addresses compressed as RFC 5952 writes them
 * ({@code 2001:db8::1}), CNAME targets as absolute names in lower case WITHOUT the trailing dot
 * ({@code lb.example.net}). A plan's CNAME value is always taken as absolute, with or without the
 * dot. Lists are sorted and without duplicates: a record's values are a set.
 */
final class DnsValues {
  private DnsValues() {}

  /**
   * The canonical, sorted values; a value that is not valid for the type stops the step.
   *
   * @param where names the step and record for the message
   */
  static List<String> canonical(DnsRecordType type, List<String> values, String where) {
    TreeSet<String> set = new TreeSet<>();
    for (String v : values) {
      set.add(canonical(type, v, where));
    }
    if (type == DnsRecordType.CNAME && set.size() > 1) {
      throw ApplicationFailure.newNonRetryableFailure(
          where
              + ": a CNAME has one target, the plan gives "
              + set.size()
              + " ("
              + String.join(", ", set)
              + ")",
          CutoverErrors.INVALID_CONFIG);
    }
    return new ArrayList<>(set);
  }

  static String canonical(DnsRecordType type, String value, String where) {
    String v = value == null ? "" : value.trim();
    String text =
        switch (type) {
          case A -> address(v, Address.IPv4);
          case AAAA -> address(v, Address.IPv6);
          case CNAME -> name(v);
        };
    if (text == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          where
              + ": '"
              + value
              + "' is not a valid "
              + type
              + " value"
              + (type == DnsRecordType.CNAME
                  ? " (a host name)"
                  : " (an IP" + (type == DnsRecordType.A ? "v4" : "v6") + " address)"),
          CutoverErrors.INVALID_CONFIG);
    }
    return text;
  }

  /** The canonical text of an address in the family, or null when {@code text} is not one. */
  static String address(String text, int family) {
    byte[] bytes = text.isEmpty() ? null : Address.toByteArray(text, family);
    if (bytes == null) {
      return null;
    }
    return family == Address.IPv4 ? Address.toDottedQuad(bytes) : ipv6(bytes);
  }

  /** A name as canonical text: absolute, lower case, no trailing dot. */
  static String name(Name name) {
    return name.toString(true).toLowerCase(Locale.ROOT);
  }

  private static String name(String text) {
    if (text.isEmpty() || text.equals(".")) {
      return null;
    }
    try {
      return name(Name.fromString(text, Name.root));
    } catch (TextParseException e) {
      return null;
    }
  }

  /**
   * RFC 5952: lower-case hex without leading zeros, the longest run of two or more zero groups as
   * {@code ::}.
   */
  static String ipv6(byte[] bytes) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength && j - i >= 2) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLength - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(groups[i]));
    }
    return s.toString();
  }
}
