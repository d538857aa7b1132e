package dev.cutover.approval;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Verifies signatures in the format of {@code ssh-keygen -Y sign} (OpenSSH's PROTOCOL.sshsig). Pure
 * and deterministic: it runs in workflow code, so it reads no file, no clock and no key store; the
 * keys are the plan's.
 */
public final class SshSignatures {
  /** The namespace approvals are signed in: a signature made for anything else cannot approve. */
  public static final String APPROVAL_NAMESPACE = "cutover-approval";

  /** The namespace {@code cutover start} signs in. */
  public static final String START_NAMESPACE = "cutover-start";

  /**
   * The longest armored signature read: an RSA-16384 signature with its key is under 5,000
   * characters; the same bound as the signature field of a signal (SignalLimits).
   */
  public static final int MAX_ARMORED = 8_000;

  static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
  static final String END = "-----END SSH SIGNATURE-----";
  private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;

  /**
   * The reason's first words for each kind of refusal, so callers and tests can tell them apart.
   */
  public static final String MALFORMED = "not a signature";

  public static final String WRONG_NAMESPACE = "wrong namespace";
  public static final String UNLISTED_KEY = "unlisted key";
  public static final String NAMESPACE_EXCLUDED = "key not allowed in this namespace";
  public static final String UNSUPPORTED = "unsupported signature";
  public static final String NO_MATCH = "signature does not match";

  private SshSignatures() {}

  /**
   * Verifies an armored "-----BEGIN SSH SIGNATURE-----" (ssh-keygen -Y sign) over message, against
   * the signers; reasons: not a signature (malformed), wrong namespace, unlisted key, signature
   * does not match (forged or tampered), signer's namespaces option excludes it, key type
   * unsupported. It has no clock: a signer's valid-after and valid-before are the caller's to check
   * ({@link AllowedSigner#validAt}; {@link ApprovalJudge} does).
   */
  public static SignatureCheck verify(
      String armored, byte[] message, String namespace, List<AllowedSigner> signers) {
    Parsed sig;
    try {
      sig = parse(armored);
    } catch (SshWire.Malformed e) {
      return refused(null, MALFORMED + ": " + e.getMessage());
    }
    if (!sig.namespace.equals(namespace)) {
      return refused(
          null,
          WRONG_NAMESPACE
              + ": signed for namespace '"
              + printable(sig.namespace)
              + "', not '"
              + namespace
              + "' (sign with ssh-keygen -Y sign -n "
              + namespace
              + ")");
    }
    AllowedSigner signer = null;
    for (AllowedSigner candidate : signers) {
      if (Arrays.equals(blobOf(candidate), sig.publicKey)) {
        signer = candidate;
        break;
      }
    }
    if (signer == null) {
      return refused(
          null,
          UNLISTED_KEY
              + ": the signing key "
              + AllowedSigner.fingerprint(sig.publicKey)
              + " is not one of the approvers this gate accepts");
    }
    if (!signer.allowsNamespace(namespace)) {
      return refused(
          signer,
          NAMESPACE_EXCLUDED
              + ": the approvers line of "
              + signer.principal()
              + " limits its key to namespaces=\""
              + String.join(",", signer.namespaces())
              + "\", which does not allow '"
              + namespace
              + "'");
    }
    SshPublicKey key;
    try {
      key = SshPublicKey.decode(sig.publicKey);
    } catch (SshWire.Malformed e) {
      return refused(signer, UNSUPPORTED + ": " + e.getMessage());
    }
    String algorithm;
    byte[] signatureBytes;
    try {
      SshWire in = new SshWire(sig.signature);
      String format = in.text();
      byte[] bytes = in.string();
      if (!in.atEnd()) {
        throw new SshWire.Malformed("bytes after the signature");
      }
      algorithm = jdkAlgorithm(key.type(), format);
      signatureBytes = key.type().equals(SshPublicKey.ECDSA_P256) ? p1363(bytes) : bytes;
    } catch (SshWire.Malformed e) {
      return refused(signer, NO_MATCH + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return refused(signer, UNSUPPORTED + ": " + e.getMessage());
    }
    boolean good;
    try {
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(key.key());
      verifier.update(signedData(sig, message));
      good = verifier.verify(signatureBytes);
    } catch (GeneralSecurityException e) {
      // A signature of the wrong length or shape: as good as a wrong one.
      good = false;
    }
    if (!good) {
      return refused(
          signer,
          NO_MATCH
              + ": not made by the key of "
              + signer.principal()
              + " ("
              + signer.fingerprint()
              + ") over this text: forged, or the text was changed after signing");
    }
    return new SignatureCheck(true, signer, "verified: signed by " + signer.principal());
  }

  /** The signer's key blob; none for a signer built by hand with a key that is not base64. */
  private static byte[] blobOf(AllowedSigner signer) {
    try {
      return signer.keyBlob();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static SignatureCheck refused(AllowedSigner signer, String reason) {
    return new SignatureCheck(false, signer, reason);
  }

  /** The blob's fields (PROTOCOL.sshsig, section 2). */
  private record Parsed(
      byte[] publicKey,
      String namespace,
      byte[] reserved,
      String hashAlgorithm,
      byte[] signature) {}

  private static Parsed parse(String armored) throws SshWire.Malformed {
    if (armored == null || armored.isBlank()) {
      throw new SshWire.Malformed("it is empty");
    }
    if (armored.length() > MAX_ARMORED) {
      throw new SshWire.Malformed(
          "it is " + armored.length() + " characters long; at most " + MAX_ARMORED);
    }
    String text = armored.strip();
    if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
      throw new SshWire.Malformed(
          "it does not start with "
              + BEGIN
              + " and end with "
              + END
              + " (ssh-keygen -Y sign writes them)");
    }
    String body = text.substring(BEGIN.length(), text.length() - END.length());
    StringBuilder base64 = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
        base64.append(c);
      }
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(base64.toString());
    } catch (IllegalArgumentException e) {
      throw new SshWire.Malformed("its body is not base64");
    }
    SshWire in = new SshWire(blob);
    if (!Arrays.equals(in.raw(MAGIC.length), MAGIC)) {
      throw new SshWire.Malformed("no SSHSIG preamble");
    }
    int version = in.uint32();
    if (version != VERSION) {
      throw new SshWire.Malformed("version " + version + "; only version 1 is known");
    }
    byte[] publicKey = in.string();
    String namespace = in.text();
    byte[] reserved = in.string();
    String hash = in.text();
    byte[] signature = in.string();
    if (!in.atEnd()) {
      throw new SshWire.Malformed("bytes after the signature");
    }
    if (!hash.equals("sha256") && !hash.equals("sha512")) {
      throw new SshWire.Malformed(
          "hash algorithm '" + hash + "'; only sha256 and sha512 are known");
    }
    if (namespace.isEmpty()) {
      throw new SshWire.Malformed("the namespace is empty");
    }
    return new Parsed(publicKey, namespace, reserved, hash, signature);
  }

  /**
   * What the key signed (PROTOCOL.sshsig, section 3): the preamble, the namespace, the reserved
   * field, the hash algorithm and the hash of the message.
   */
  private static byte[] signedData(Parsed sig, byte[] message) throws GeneralSecurityException {
    byte[] hash =
        MessageDigest.getInstance(sig.hashAlgorithm.equals("sha512") ? "SHA-512" : "SHA-256")
            .digest(message);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(MAGIC, 0, MAGIC.length);
    SshWire.putString(out, sig.namespace.getBytes(StandardCharsets.US_ASCII));
    SshWire.putString(out, sig.reserved);
    SshWire.putString(out, sig.hashAlgorithm.getBytes(StandardCharsets.US_ASCII));
    SshWire.putString(out, hash);
    return out.toByteArray();
  }

  /**
   * The JDK algorithm for a signature of {@code format} by a key of {@code keyType}.
   *
   * @throws IllegalArgumentException for a pair cutover does not accept
   * @throws SshWire.Malformed for a format that does not fit the key (a forgery's mark)
   */
  private static String jdkAlgorithm(String keyType, String format) throws SshWire.Malformed {
    switch (keyType) {
      case SshPublicKey.ED25519:
        if (format.equals("ssh-ed25519")) {
          return "Ed25519";
        }
        break;
      case SshPublicKey.RSA:
        if (format.equals("rsa-sha2-512")) {
          return "SHA512withRSA";
        }
        if (format.equals("rsa-sha2-256")) {
          return "SHA256withRSA";
        }
        if (format.equals("ssh-rsa")) {
          // SHA-1: chosen-prefix collisions are practical (SHA-1 is a Shambles, 2020).
          throw new IllegalArgumentException(
              "an RSA signature with SHA-1 (ssh-rsa) is refused; OpenSSH 8.2 and later sign with rsa-sha2-512");
        }
        break;
      case SshPublicKey.ECDSA_P256:
        if (format.equals("ecdsa-sha2-nistp256")) {
          return "SHA256withECDSAinP1363Format";
        }
        break;
      default:
        break;
    }
    throw new SshWire.Malformed(
        "a signature of type " + printable(format) + " cannot come from an " + keyType + " key");
  }

  /** An SSH ECDSA signature (mpint r, mpint s) as the fixed-width r||s the JDK verifies. */
  private static byte[] p1363(byte[] sshSignature) throws SshWire.Malformed {
    SshWire in = new SshWire(sshSignature);
    BigInteger r = in.positiveMpint();
    BigInteger s = in.positiveMpint();
    if (!in.atEnd() || r.bitLength() > 256 || s.bitLength() > 256) {
      throw new SshWire.Malformed("an ECDSA signature of the wrong shape");
    }
    byte[] out = new byte[64];
    byte[] rb = r.toByteArray();
    byte[] sb = s.toByteArray();
    int rl = Math.min(rb.length, 32);
    int sl = Math.min(sb.length, 32);
    System.arraycopy(rb, rb.length - rl, out, 32 - rl, rl);
    System.arraycopy(sb, sb.length - sl, out, 64 - sl, sl);
    return out;
  }

  /** A name from the signature, safe to put in a message: bounded. */
  private static String printable(String name) {
    return name.length() <= 64 ? name : name.substring(0, 64) + "...";
  }
}
