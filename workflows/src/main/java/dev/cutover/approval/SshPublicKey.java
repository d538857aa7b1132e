package dev.cutover.approval;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

/** An SSH public key blob (RFC 4253 6.6, RFC 8709, RFC 5656) decoded into a JDK key. */
record SshPublicKey(String type, PublicKey key) {
  static final String ED25519 = "ssh-ed25519";
  static final String RSA = "ssh-rsa";
  static final String ECDSA_P256 = "ecdsa-sha2-nistp256";

  /** The key types cutover verifies; others (sk-*, nistp384/521, certificates) are refused. */
  static final List<String> SUPPORTED = List.of(ED25519, RSA, ECDSA_P256);

  /**
   * The shortest RSA modulus accepted: what NIST has allowed since 2015 and less than the 3072 bits
   * ssh-keygen makes; shorter keys are within reach of a well-funded forger.
   */
  static final int MIN_RSA_BITS = 2048;

  /** The DER header of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), before the key. */
  private static final byte[] ED25519_X509_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  /**
   * Decodes a key blob.
   *
   * @throws SshWire.Malformed with what is wrong: not a key, an unsupported type, a weak key
   */
  static SshPublicKey decode(byte[] blob) throws SshWire.Malformed {
    SshWire in = new SshWire(blob);
    String type = in.text();
    PublicKey key;
    try {
      switch (type) {
        case ED25519 -> {
          byte[] raw = in.string();
          if (raw.length != 32) {
            throw new SshWire.Malformed("an ssh-ed25519 key of " + raw.length + " bytes, not 32");
          }
          byte[] der = Arrays.copyOf(ED25519_X509_PREFIX, ED25519_X509_PREFIX.length + 32);
          System.arraycopy(raw, 0, der, ED25519_X509_PREFIX.length, 32);
          key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        }
        case RSA -> {
          BigInteger e = in.positiveMpint();
          BigInteger n = in.positiveMpint();
          if (n.bitLength() < MIN_RSA_BITS) {
            throw new SshWire.Malformed(
                "an RSA key of "
                    + n.bitLength()
                    + " bits; at least "
                    + MIN_RSA_BITS
                    + " are needed");
          }
          key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
        }
        case ECDSA_P256 -> {
          String curve = in.text();
          if (!curve.equals("nistp256")) {
            throw new SshWire.Malformed("an " + ECDSA_P256 + " key on curve " + curve);
          }
          key = p256(in.string());
        }
        default ->
            throw new SshWire.Malformed(
                "key type "
                    + type
                    + " is not supported; use one of "
                    + String.join(", ", SUPPORTED));
      }
    } catch (GeneralSecurityException e) {
      throw new SshWire.Malformed("a " + type + " key the JDK refuses: " + e.getMessage());
    }
    if (!in.atEnd()) {
      throw new SshWire.Malformed("bytes after the " + type + " key");
    }
    return new SshPublicKey(type, key);
  }

  private static PublicKey p256(byte[] point) throws GeneralSecurityException, SshWire.Malformed {
    if (point.length != 65 || point[0] != 0x04) {
      throw new SshWire.Malformed("an ecdsa-sha2-nistp256 point that is not uncompressed");
    }
    AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
    parameters.init(new ECGenParameterSpec("secp256r1"));
    ECParameterSpec spec = parameters.getParameterSpec(ECParameterSpec.class);
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
    // A point off the curve is no key anyone holds the private half of: refuse it as OpenSSH does.
    BigInteger p = ((ECFieldFp) spec.getCurve().getField()).getP();
    BigInteger a = spec.getCurve().getA();
    BigInteger b = spec.getCurve().getB();
    if (x.compareTo(p) >= 0
        || y.compareTo(p) >= 0
        || !y.multiply(y).mod(p).equals(x.pow(3).add(a.multiply(x)).add(b).mod(p))) {
      throw new SshWire.Malformed("an ecdsa-sha2-nistp256 point that is not on the curve");
    }
    return KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), spec));
  }
}
