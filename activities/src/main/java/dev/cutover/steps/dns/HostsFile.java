package dev.cutover.steps.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.Address;

/**
 * Reads and edits the text of a hosts file ({@code address name [aliases...] [# comment]}).
 *
 * <p>A line "holds" a host name when one of its names is that name (case-insensitive) and its
 * address is of the record's family (A: IPv4, AAAA: IPv6), so an A change never touches IPv6 lines.
 * Setting values changes the address of the lines holding the name, in file order, one value each,
 * keeping their other names, spacing and comments; values beyond those lines get new lines after
 * the last one (or at the end); lines beyond the values lose the name, and are dropped when no name
 * is left. Every other line stays byte for byte.
 */
final class HostsFile {
  private HostsFile() {}

  /**
   * The canonical, sorted addresses the file gives {@code hostName} in the family of {@code type}.
   */
  static List<String> values(String text, String hostName, DnsRecordType type) {
    List<String> values = new ArrayList<>();
    for (String line : lines(text)) {
      Entry e = Entry.parse(line, type);
      if (e != null && e.names(hostName)) {
        values.add(e.address);
      }
    }
    return values.stream().distinct().sorted().toList();
  }

  /**
   * The file with {@code hostName} pointing at {@code values} (canonical); empty values remove the
   * name.
   */
  static String rewrite(String text, String hostName, DnsRecordType type, List<String> values) {
    List<String> lines = lines(text);
    List<String> out = new ArrayList<>();
    int next = 0;
    int lastHolding = -1;
    for (String line : lines) {
      Entry e = Entry.parse(line, type);
      if (e == null || !e.names(hostName)) {
        out.add(line);
        continue;
      }
      if (next < values.size()) {
        out.add(e.withAddress(line, values.get(next++)));
        lastHolding = out.size() - 1;
      } else {
        String rest = e.withoutName(line, hostName);
        if (rest != null) {
          out.add(rest);
          lastHolding = out.size() - 1;
        }
      }
    }
    List<String> added = new ArrayList<>();
    for (; next < values.size(); next++) {
      added.add(values.get(next) + "\t" + hostName);
    }
    out.addAll(lastHolding < 0 ? out.size() : lastHolding + 1, added);
    String joined = String.join("\n", out);
    return joined.isEmpty() ? "" : joined + "\n";
  }

  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** One address line: where its address and names sit in the text. */
  private record Entry(String address, int addressStart, int addressEnd, List<String> nameList) {
    static Entry parse(String line, DnsRecordType type) {
      int hash = line.indexOf('#');
      String content = hash < 0 ? line : line.substring(0, hash);
      String[] fields = content.trim().split("\\s+");
      if (fields.length < 2) {
        return null;
      }
      String address =
          DnsValues.address(fields[0], type == DnsRecordType.AAAA ? Address.IPv6 : Address.IPv4);
      if (address == null) {
        return null;
      }
      int start = line.indexOf(fields[0]);
      return new Entry(
          address, start, start + fields[0].length(), List.of(fields).subList(1, fields.length));
    }

    boolean names(String hostName) {
      return nameList.stream()
          .anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(hostName.toLowerCase(Locale.ROOT)));
    }

    String withAddress(String line, String newAddress) {
      return line.substring(0, addressStart) + newAddress + line.substring(addressEnd);
    }

    /** The line without {@code hostName}, or null when no name would be left. */
    String withoutName(String line, String hostName) {
      List<String> left =
          nameList.stream()
              .filter(n -> !n.toLowerCase(Locale.ROOT).equals(hostName.toLowerCase(Locale.ROOT)))
              .toList();
      if (left.isEmpty()) {
        return null;
      }
      int hash = line.indexOf('#');
      String comment = hash < 0 ? "" : " " + line.substring(hash);
      return line.substring(0, addressEnd) + "\t" + String.join(" ", left) + comment;
    }
  }
}
