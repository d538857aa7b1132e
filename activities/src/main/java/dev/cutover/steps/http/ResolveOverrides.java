package dev.cutover.steps.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Like curl's {@code --resolve}: names of the check's map go to the given address, every other name
 * is resolved as usual. The URL keeps the real name, so the Host header, SNI and the certificate
 * check all use it. Remembers what it answered, so a failure can say where it tried to connect.
 */
final class ResolveOverrides implements DnsResolver {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]+(%[\\w.]+)?]?");

  private final Map<String, InetAddress> overrides;
  private final List<String> answered = new CopyOnWriteArrayList<>();

  private ResolveOverrides(Map<String, InetAddress> overrides) {
    this.overrides = overrides;
  }

  /**
   * @param resolve host name to IP address
   * @throws IllegalArgumentException when a value is not an IP address
   */
  static ResolveOverrides of(Map<String, String> resolve) {
    Map<String, InetAddress> overrides =
        resolve.entrySet().stream()
            .collect(
                Collectors.toMap(
                    e -> e.getKey().toLowerCase(Locale.ROOT),
                    e -> literal(e.getKey(), e.getValue())));
    return new ResolveOverrides(Map.copyOf(overrides));
  }

  /** The address for a name of the map; {@code null} for a name resolved as usual. */
  InetAddress override(String host) {
    return overrides.get(host.toLowerCase(Locale.ROOT));
  }

  /** The addresses handed out so far, for messages. */
  String answered() {
    return answered.stream().distinct().collect(Collectors.joining(", "));
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress fixed = override(host);
    InetAddress[] addresses =
        fixed != null ? new InetAddress[] {fixed} : SystemDefaultDnsResolver.INSTANCE.resolve(host);
    for (InetAddress a : addresses) {
      answered.add(a.getHostAddress());
    }
    return addresses;
  }

  @Override
  public String resolveCanonicalHostname(String host) throws UnknownHostException {
    return override(host) != null
        ? host
        : SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
  }

  private static InetAddress literal(String name, String address) {
    String a = address == null ? "" : address.strip();
    if (!IPV4.matcher(a).matches() && !(a.contains(":") && IPV6.matcher(a).matches())) {
      throw new IllegalArgumentException(
          "resolve: " + name + " maps to '" + address + "', which is not an IP address");
    }
    try {
      // A literal: no lookup happens; the name is kept for messages.
      InetAddress parsed =
          InetAddress.getByName(a.startsWith("[") ? a.substring(1, a.length() - 1) : a);
      return InetAddress.getByAddress(name, parsed.getAddress());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "resolve: " + name + " maps to '" + address + "', which is not an IP address");
    }
  }
}
