package dev.cutover.steps.http;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * What the checks trust: the JVM's default trust store, plus the certificates of an optional extra
 * store (a private CA, or a test's). A chain is trusted when either accepts it.
 */
final class CheckTrust extends X509ExtendedTrustManager {
  private final List<X509ExtendedTrustManager> managers;

  private CheckTrust(List<X509ExtendedTrustManager> managers) {
    this.managers = managers;
  }

  /**
   * @param extra further trusted certificates; {@code null} for the default store alone
   */
  static CheckTrust of(KeyStore extra) {
    List<X509ExtendedTrustManager> managers = new ArrayList<>();
    managers.add(manager(null));
    if (extra != null) {
      managers.add(manager(extra));
    }
    return new CheckTrust(List.copyOf(managers));
  }

  /** A TLS context that verifies servers with this trust. */
  SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {this}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(m -> m.checkServerTrusted(chain, authType));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(m -> m.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(m -> m.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("checks never act as a server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("checks never act as a server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("checks never act as a server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return managers.stream()
        .flatMap(m -> List.of(m.getAcceptedIssuers()).stream())
        .toArray(X509Certificate[]::new);
  }

  /** Passes when any store accepts; otherwise throws what the default store said. */
  private void check(Check check) throws CertificateException {
    CertificateException first = null;
    for (X509ExtendedTrustManager manager : managers) {
      try {
        check.on(manager);
        return;
      } catch (CertificateException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    throw first;
  }

  @FunctionalInterface
  private interface Check {
    void on(X509ExtendedTrustManager manager) throws CertificateException;
  }

  private static X509ExtendedTrustManager manager(KeyStore store) {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("the JVM offers no X.509 trust manager");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load a trust store", e);
    }
  }
}
