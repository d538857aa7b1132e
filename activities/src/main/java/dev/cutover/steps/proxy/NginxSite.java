package dev.cutover.steps.proxy;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Renders the nginx server block a {@code proxy-switch} step writes: the old host's listeners and
 * names, proxying everything to the new host with the client's Host header and address.
 *
 * <p>Every value from the plan is checked before it is rendered: nginx has no quoting that a value
 * could not break out of once it holds {@code ;}, braces, quotes, a backslash, {@code #}, {@code $}
 * (a variable) or a line break, so such values are refused, never escaped.
 */
public final class NginxSite {
  private static final String FORBIDDEN = ";{}\"'\\#$`";

  private NginxSite() {}

  /**
   * The site's text for the request.
   *
   * @throws IllegalArgumentException naming the field when a value cannot go into nginx's
   *     configuration
   */
  public static String render(ProxySwitchRequest r) {
    validate(r);
    StringBuilder s = new StringBuilder();
    s.append(header(r.step())).append('\n');
    s.append("# the previous site is kept next to this file as *.cutover-")
        .append(pathPart(r.step()))
        .append(".orig\n");
    s.append("server {\n");
    for (String listen : r.listen()) {
      s.append("    listen ").append(listen.strip()).append(";\n");
    }
    if (!r.serverNames().isEmpty()) {
      s.append("    server_name ").append(String.join(" ", r.serverNames())).append(";\n");
    }
    if (r.tlsCertificate() != null) {
      s.append("    ssl_certificate ").append(r.tlsCertificate()).append(";\n");
      s.append("    ssl_certificate_key ").append(r.tlsCertificateKey()).append(";\n");
    }
    s.append("\n    location / {\n");
    s.append("        proxy_pass ").append(r.upstream()).append(";\n");
    String host = r.upstreamServerName() != null ? r.upstreamServerName() : "$host";
    s.append("        proxy_set_header Host ").append(host).append(";\n");
    s.append("        proxy_set_header X-Real-IP $remote_addr;\n");
    s.append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n");
    s.append("        proxy_set_header X-Forwarded-Proto $scheme;\n");
    if (isHttps(r.upstream())) {
      // The new host picks its certificate by SNI: send the name the client asked for, as in Host.
      s.append("        proxy_ssl_server_name on;\n");
      s.append("        proxy_ssl_name ").append(host).append(";\n");
    }
    if (r.readTimeout() != null) {
      s.append("        proxy_read_timeout ").append(duration(r.readTimeout())).append(";\n");
    }
    s.append("    }\n");
    s.append("}\n");
    return s.toString();
  }

  /**
   * The site's first line, naming the step: an undo that has no record of the switch recognises the
   * site it wrote by it.
   */
  static String header(String step) {
    return "# written by cutover step " + step;
  }

  static void validate(ProxySwitchRequest r) {
    text("step", r.step(), true);
    if (r.listen().isEmpty()) {
      throw new IllegalArgumentException(
          "listen: at least one listen value is needed, like 80 or 443 ssl");
    }
    boolean ssl = false;
    for (String listen : r.listen()) {
      text("listen", listen, true);
      ssl |= List.of(listen.strip().split("\\s+")).contains("ssl");
    }
    for (String name : r.serverNames()) {
      token("serverNames", name);
    }
    if ((r.tlsCertificate() == null) != (r.tlsCertificateKey() == null)) {
      throw new IllegalArgumentException(
          "tlsCertificate and tlsCertificateKey go together: give both or neither");
    }
    if (ssl && r.tlsCertificate() == null) {
      throw new IllegalArgumentException(
          "listen has ssl: tlsCertificate and tlsCertificateKey are needed");
    }
    if (r.tlsCertificate() != null) {
      absolutePath("tlsCertificate", r.tlsCertificate());
      absolutePath("tlsCertificateKey", r.tlsCertificateKey());
    }
    token("upstream", r.upstream());
    upstream(r.upstream());
    if (r.upstreamServerName() != null) {
      token("upstreamServerName", r.upstreamServerName());
    }
    if (r.readTimeout() != null && (r.readTimeout().isNegative() || r.readTimeout().isZero())) {
      throw new IllegalArgumentException("readTimeout must be positive, not " + r.readTimeout());
    }
  }

  static boolean isHttps(String upstream) {
    return upstream.toLowerCase(Locale.ROOT).startsWith("https://");
  }

  /** A step name as part of a file name: no slash, nothing a shell glob would read. */
  static String pathPart(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() ? "_" : safe;
  }

  private static void upstream(String upstream) {
    String lower = upstream.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException(
          "upstream " + upstream + " must start with http:// or https://");
    }
    try {
      URI uri = new URI(upstream);
      if (uri.getHost() == null) {
        throw new IllegalArgumentException("upstream " + upstream + " has no host");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "upstream " + upstream + " is not a URL: " + e.getReason());
    }
  }

  private static void absolutePath(String field, String path) {
    token(field, path);
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(field + " " + path + " must be an absolute path");
    }
  }

  /** One word of nginx configuration: no white space either. */
  private static void token(String field, String value) {
    text(field, value, true);
    if (value.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(field + " '" + value + "' must not contain white space");
    }
  }

  private static void text(String field, String value, boolean required) {
    if (value == null || value.isBlank()) {
      if (required) {
        throw new IllegalArgumentException(field + " is missing");
      }
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (FORBIDDEN.indexOf(c) >= 0 || Character.isISOControl(c)) {
        String shown =
            Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        throw new IllegalArgumentException(
            field
                + " '"
                + value.replaceAll("\\p{Cntrl}", "?")
                + "' contains '"
                + shown
                + "', which nginx's configuration cannot hold safely (refused: ; { } \" ' \\ # $ ` and line breaks)");
      }
    }
  }

  private static String duration(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }
}
