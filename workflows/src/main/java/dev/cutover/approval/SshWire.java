package dev.cutover.approval;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the SSH wire encoding (RFC 4251: uint32, string, mpint) from bytes an outsider sent, each
 * length checked against what is left, so a lying length is a refusal and never a large allocation.
 */
final class SshWire {
  private final byte[] data;
  private int pos;

  SshWire(byte[] data) {
    this.data = data;
  }

  /** Thrown on input that is not what the encoding promises; the message says what. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  boolean atEnd() {
    return pos == data.length;
  }

  byte[] raw(int n) throws Malformed {
    if (n < 0 || n > data.length - pos) {
      throw new Malformed("truncated");
    }
    byte[] out = Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    return out;
  }

  int uint32() throws Malformed {
    byte[] b = raw(4);
    long v =
        ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    if (v > Integer.MAX_VALUE) {
      throw new Malformed("length out of range");
    }
    return (int) v;
  }

  byte[] string() throws Malformed {
    return raw(uint32());
  }

  String text() throws Malformed {
    byte[] b = string();
    for (byte c : b) {
      // Names in the format are printable ASCII; anything else is not a name cutover knows.
      if (c < 0x20 || c > 0x7e) {
        throw new Malformed("a name with unprintable bytes");
      }
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** A positive mpint (RSA exponent and modulus). */
  BigInteger positiveMpint() throws Malformed {
    byte[] b = string();
    if (b.length == 0 || (b[0] & 0x80) != 0) {
      throw new Malformed("a number that is not positive");
    }
    return new BigInteger(1, b);
  }

  /** Writes the SSH string encoding of {@code b}. */
  static void putString(java.io.ByteArrayOutputStream out, byte[] b) {
    int n = b.length;
    out.write((n >>> 24) & 0xff);
    out.write((n >>> 16) & 0xff);
    out.write((n >>> 8) & 0xff);
    out.write(n & 0xff);
    out.write(b, 0, n);
  }
}
