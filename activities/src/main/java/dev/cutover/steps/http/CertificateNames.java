package dev.cutover.steps.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a certificate covers a name, as browsers decide it (RFC 6125): by the subject alternative
 * names only (the CN is not looked at), a wildcard standing for exactly one leftmost label.
 */
final class CertificateNames {
  private static final int DNS_NAME = 2;
  private static final int IP_ADDRESS = 7;
  private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

  private CertificateNames() {}

  /** The certificate's DNS names. */
  static List<String> dnsNames(X509Certificate cert) {
    return names(cert, DNS_NAME);
  }

  static boolean covers(X509Certificate cert, String name) {
    if (IP_LITERAL.matcher(name).matches()) {
      return names(cert, IP_ADDRESS).stream().anyMatch(ip -> sameAddress(ip, name));
    }
    return dnsNames(cert).stream().anyMatch(pattern -> matches(pattern, name));
  }

  /**
   * {@code *.example.com} matches {@code www.example.com}, not {@code example.com} nor {@code
   * a.b.example.com}.
   */
  static boolean matches(String pattern, String name) {
    String p = trimDot(pattern.toLowerCase(Locale.ROOT));
    String n = trimDot(name.toLowerCase(Locale.ROOT));
    if (!p.startsWith("*.")) {
      return p.equals(n);
    }
    int dot = n.indexOf('.');
    if (dot <= 0) {
      return false;
    }
    String suffix = p.substring(2);
    // A wildcard for a top-level domain alone (*.com) covers nothing.
    return suffix.contains(".") && n.substring(dot + 1).equals(suffix);
  }

  private static List<String> names(X509Certificate cert, int type) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2
              && san.get(0) instanceof Integer t
              && t == type
              && san.get(1) instanceof String value) {
            out.add(value);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // an unreadable extension covers nothing
    }
    return out;
  }

  private static boolean sameAddress(String a, String b) {
    try {
      return InetAddress.getByName(a).equals(InetAddress.getByName(b));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String trimDot(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
