package dev.cutover.steps.pgdatabase;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A password as PostgreSQL stores it for SCRAM-SHA-256 (RFC 5802, RFC 7677), made in the worker as
 * psql's {@code \password} does: {@code SCRAM-SHA-256$ITERATIONS:SALT$STOREDKEY:SERVERKEY}. A
 * server given this in {@code ALTER ROLE ... PASSWORD} stores it as it is, so the password itself
 * never reaches the server, its statement log or a psql command.
 */
final class ScramVerifier {
  /** PostgreSQL's default (scram_iterations). */
  static final int ITERATIONS = 4096;

  static final int SALT_BYTES = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ScramVerifier() {}

  static String of(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return of(password, salt, ITERATIONS);
  }

  static String of(String password, byte[] salt, int iterations) {
    try {
      byte[] salted = hi(prepared(password), salt, iterations);
      byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
      Base64.Encoder b64 = Base64.getEncoder();
      return "SCRAM-SHA-256$"
          + iterations
          + ":"
          + b64.encodeToString(salt)
          + "$"
          + b64.encodeToString(storedKey)
          + ":"
          + b64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no HmacSHA256 or SHA-256", e);
    }
  }

  /**
   * The password's bytes as clients hash them: SASLprep, of which NFKC is what matters for real
   * passwords (ASCII is left as it is); clients (libpq, pgjdbc) apply the same before they log in.
   */
  private static byte[] prepared(String password) {
    boolean ascii = password.chars().allMatch(c -> c < 0x80);
    String text = ascii ? password : Normalizer.normalize(password, Normalizer.Form.NFKC);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** PBKDF2 with HMAC-SHA-256 and one block: RFC 5802's Hi(). */
  private static byte[] hi(byte[] password, byte[] salt, int iterations)
      throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(password, "HmacSHA256"));
    byte[] first = new byte[salt.length + 4];
    System.arraycopy(salt, 0, first, 0, salt.length);
    first[first.length - 1] = 1;
    byte[] u = mac.doFinal(first);
    byte[] result = u.clone();
    for (int i = 1; i < iterations; i++) {
      u = mac.doFinal(u);
      for (int j = 0; j < result.length; j++) {
        result[j] ^= u[j];
      }
    }
    return result;
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }
}
