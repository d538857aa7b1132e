package dev.cutover.steps.http;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One {@code tls} check: the certificate chain a server presents for a name (sent as SNI), read
 * even when nobody trusts it, then judged on its own: trusted by the worker's trust store, the name
 * covered, valid long enough.
 */
final class TlsCheck {
  static final int DEFAULT_PORT = 443;
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");
  private static final long SECONDS_PER_DAY = 86_400;

  private final CheckTrust trust;
  private final Clock clock;

  TlsCheck(CheckTrust trust, Clock clock) {
    this.trust = trust;
    this.clock = clock;
  }

  TlsCheckResult run(TlsCheckRequest r) {
    String name = r.name() == null ? "" : r.name().strip();
    String where = "step " + r.step() + ": TLS " + name;
    if (name.isEmpty()
        || name.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": the check needs a server name", CutoverErrors.INVALID_CONFIG);
    }
    int port = r.port() == null ? DEFAULT_PORT : r.port();
    if (port < 1 || port > 65535) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": port " + port + " is not a TCP port", CutoverErrors.INVALID_CONFIG);
    }
    String target = name + ":" + port + (r.address() != null ? " at " + r.address() : "");
    Served served = fetch(name, port, r.address(), where + " (" + target + ")");

    X509Certificate leaf = served.chain().get(0);
    Instant now = clock.instant();
    Instant notAfter = leaf.getNotAfter().toInstant();
    long daysValid = Math.floorDiv(Duration.between(now, notAfter).getSeconds(), SECONDS_PER_DAY);
    boolean covered = CertificateNames.covers(leaf, name);
    String untrusted = null;
    try {
      trust.checkServerTrusted(served.chain().toArray(X509Certificate[]::new), served.authType());
    } catch (CertificateException | RuntimeException e) {
      untrusted = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    List<String> sans = CertificateNames.dnsNames(leaf);
    TlsCheckResult result =
        new TlsCheckResult(
            leaf.getSubjectX500Principal().getName(),
            leaf.getIssuerX500Principal().getName(),
            sans,
            leaf.getNotBefore().toInstant(),
            notAfter,
            daysValid,
            covered,
            untrusted == null);

    List<String> problems = new ArrayList<>();
    if (!covered) {
      problems.add(
          "it does not cover "
              + name
              + " (it names "
              + (sans.isEmpty() ? "no DNS names" : String.join(", ", sans))
              + ")");
    }
    if (untrusted != null) {
      problems.add("it is not trusted (" + shorten(untrusted) + ")");
    }
    if (daysValid < r.minDaysValid()) {
      problems.add(
          daysValid < 0
              ? "it expired on " + notAfter
              : "it is valid for "
                  + daysValid
                  + " more days (until "
                  + notAfter
                  + "), fewer than the "
                  + r.minDaysValid()
                  + " the step needs");
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newFailureWithCause(
          where
              + ": the certificate served on "
              + target
              + " ("
              + result.subject()
              + ", issued by "
              + result.issuer()
              + "): "
              + String.join("; ", problems),
          CutoverErrors.CHECK_FAILED,
          null,
          result);
    }
    return result;
  }

  /** The chain and the key exchange's auth type, whatever the server sent. */
  private record Served(List<X509Certificate> chain, String authType) {}

  private Served fetch(String name, int port, String address, String where) {
    InetAddress ip;
    try {
      ip =
          address != null
              ? InetAddress.getByName(literal(address, where))
              : InetAddress.getByName(name);
    } catch (UnknownHostException e) {
      throw ApplicationFailure.newFailure(
          where + ": " + name + " does not resolve", CutoverErrors.CHECK_FAILED);
    }
    Recorder recorder = new Recorder();
    int millis = (int) TIMEOUT.toMillis();
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(ip, port), millis);
      raw.setSoTimeout(millis);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {recorder}, null);
      try (SSLSocket tls =
          (SSLSocket) context.getSocketFactory().createSocket(raw, name, port, false)) {
        SSLParameters parameters = tls.getSSLParameters();
        if (!IP_LITERAL.matcher(name).matches()) {
          parameters.setServerNames(List.of(new SNIHostName(name)));
        }
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : tls.getSession().getPeerCertificates()) {
          chain.add((X509Certificate) c);
        }
        if (chain.isEmpty()) {
          throw ApplicationFailure.newFailure(
              where + ": the server presented no certificate", CutoverErrors.CHECK_FAILED);
        }
        return new Served(chain, recorder.authType == null ? "UNKNOWN" : recorder.authType);
      }
    } catch (ConnectException e) {
      throw ApplicationFailure.newFailure(
          where
              + ": cannot connect to "
              + ip.getHostAddress()
              + ":"
              + port
              + ": connection refused",
          CutoverErrors.CHECK_FAILED);
    } catch (SocketTimeoutException e) {
      throw ApplicationFailure.newFailure(
          where
              + ": "
              + ip.getHostAddress()
              + ":"
              + port
              + " did not answer within "
              + TIMEOUT.toSeconds()
              + "s",
          CutoverErrors.CHECK_FAILED);
    } catch (SSLException e) {
      throw ApplicationFailure.newFailure(
          where
              + ": the TLS handshake with "
              + ip.getHostAddress()
              + ":"
              + port
              + " failed: "
              + e.getMessage(),
          CutoverErrors.CHECK_FAILED);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          where + ": " + ip.getHostAddress() + ":" + port + ": " + e.getMessage(),
          CutoverErrors.CHECK_FAILED);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  private static String literal(String address, String where) {
    String a = address.strip();
    if (!IP_LITERAL.matcher(a).matches()) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": address " + address + " is not an IP address", CutoverErrors.INVALID_CONFIG);
    }
    return a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
  }

  private static String shorten(String text) {
    String flat = text.replaceAll("\\s+", " ");
    return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
  }

  /**
   * Accepts any chain, only so it can be read: nothing is sent over this connection, and whether
   * the chain is trusted is decided afterwards against the real trust store.
   */
  private static final class Recorder extends X509ExtendedTrustManager {
    private volatile String authType;

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String type) {
      authType = type;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String type, Socket socket) {
      authType = type;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String type, SSLEngine engine) {
      authType = type;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String type)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String type, Socket socket)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String type, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
