package dev.cutover.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A test certificate authority and the server certificates it signs, made with {@code openssl} in a
 * directory of the caller's (an {@link NginxTestServer#tlsDir()}), so nginx can serve them and a
 * client can trust {@link #trustStore()}. Keys are P-256: quick to make.
 */
public final class TestCertificates {
  private final Path dir;
  private final Path caCert;
  private final Path caKey;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.caCert = dir.resolve("ca.crt");
    this.caKey = dir.resolve("ca.key");
  }

  /** A new CA in {@code dir}, valid for ten years. */
  public static TestCertificates newCa(Path dir, String commonName) {
    TestCertificates ca = new TestCertificates(dir);
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        ca.caKey.toString(),
        "-out",
        ca.caCert.toString(),
        "-days",
        "3650",
        "-subj",
        "/CN=" + commonName,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign");
    return ca;
  }

  /** The CA's certificate file (PEM). */
  public Path caCertificate() {
    return caCert;
  }

  /** A key store holding the CA as the one trusted certificate. */
  public KeyStore trustStore() {
    try (InputStream in = Files.newInputStream(caCert)) {
      X509Certificate cert =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("cutover-test-ca", cert);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A server certificate signed by this CA for {@code names} (the first is also the CN), valid for
   * {@code days} from now; written as {@code FILE.crt} and {@code FILE.key}.
   */
  public Pair issue(String file, List<String> names, int days) {
    Path key = dir.resolve(file + ".key");
    Path csr = dir.resolve(file + ".csr");
    Path cert = dir.resolve(file + ".crt");
    Path ext = dir.resolve(file + ".ext");
    write(
        ext,
        "subjectAltName="
            + sans(names)
            + "\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
            + "extendedKeyUsage=serverAuth\n");
    openssl(
        dir,
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        csr.toString(),
        "-subj",
        "/CN=" + names.get(0));
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        caCert.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-out",
        cert.toString(),
        "-days",
        Integer.toString(days),
        "-extfile",
        ext.toString());
    return new Pair(cert, key);
  }

  /** A self-signed certificate for {@code names}, signed by nobody this CA's trust store knows. */
  public static Pair selfSigned(Path dir, String file, List<String> names, int days) {
    Path key = dir.resolve(file + ".key");
    Path cert = dir.resolve(file + ".crt");
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        key.toString(),
        "-out",
        cert.toString(),
        "-days",
        Integer.toString(days),
        "-subj",
        "/CN=" + names.get(0),
        "-addext",
        "subjectAltName=" + sans(names));
    return new Pair(cert, key);
  }

  /** A certificate file and its key file. */
  public record Pair(Path certificate, Path key) {}

  private static String sans(List<String> names) {
    return names.stream().map(n -> "DNS:" + n).collect(Collectors.joining(","));
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void openssl(Path dir, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(RequiredTool.onPath("openssl", "apt-get install openssl").toString());
    argv.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl " + String.join(" ", args) + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run openssl (apt-get install openssl)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
