package dev.cutover.workflow;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;

/**
 * An ed25519 key made in the test, which signs as {@code ssh-keygen -Y sign} does (OpenSSH's
 * PROTOCOL.sshsig, SHA-512), so workflow tests need no ssh-keygen: the verification itself is
 * tested against the real ssh-keygen in the approval package's tests.
 */
final class TestSshKey {
  private final String principal;
  private final KeyPair pair;

  TestSshKey(String principal) {
    this.principal = principal;
    try {
      this.pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String principal() {
    return principal;
  }

  /** The allowed_signers line of this key, as the plan's approvers list it. */
  String allowedSigner() {
    return principal + " ssh-ed25519 " + Base64.getEncoder().encodeToString(publicBlob());
  }

  /** The armored signature over {@code text} in {@code namespace}. */
  String sign(String text, String namespace) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-512").digest(text.getBytes(StandardCharsets.UTF_8));
      ByteArrayOutputStream signed = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(signed);
      d.write("SSHSIG".getBytes(StandardCharsets.US_ASCII));
      string(d, namespace.getBytes(StandardCharsets.UTF_8));
      string(d, new byte[0]);
      string(d, "sha512".getBytes(StandardCharsets.US_ASCII));
      string(d, hash);
      Signature ed = Signature.getInstance("Ed25519");
      ed.initSign(pair.getPrivate());
      ed.update(signed.toByteArray());
      byte[] raw = ed.sign();

      ByteArrayOutputStream sigBlob = new ByteArrayOutputStream();
      DataOutputStream s = new DataOutputStream(sigBlob);
      string(s, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
      string(s, raw);

      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      DataOutputStream b = new DataOutputStream(blob);
      b.write("SSHSIG".getBytes(StandardCharsets.US_ASCII));
      b.writeInt(1);
      string(b, publicBlob());
      string(b, namespace.getBytes(StandardCharsets.UTF_8));
      string(b, new byte[0]);
      string(b, "sha512".getBytes(StandardCharsets.US_ASCII));
      string(b, sigBlob.toByteArray());

      String base64 = Base64.getEncoder().encodeToString(blob.toByteArray());
      StringBuilder armored = new StringBuilder("-----BEGIN SSH SIGNATURE-----\n");
      for (int i = 0; i < base64.length(); i += 70) {
        armored.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
      }
      return armored.append("-----END SSH SIGNATURE-----\n").toString();
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] publicBlob() {
    byte[] x509 = pair.getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      DataOutputStream d = new DataOutputStream(out);
      string(d, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
      string(d, raw);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void string(DataOutputStream d, byte[] value) throws IOException {
    d.writeInt(value.length);
    d.write(value);
  }
}
