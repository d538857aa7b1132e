package dev.cutover.steps.pgswitch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One connection to PgBouncer's admin console, speaking the PostgreSQL protocol (v3) itself: the
 * start-up, password authentication (cleartext, md5, SCRAM-SHA-256) and simple queries. pgjdbc
 * cannot be used: it always sends {@code extra_float_digits} at start-up, which the console of
 * PgBouncer 1.18 refuses ("SET failed") whatever {@code ignore_startup_parameters} says; and psql
 * on the bouncer's host costs 0.1-0.4 s a call, which a freeze cannot pay three times. Over this
 * connection a console command costs a round trip.
 *
 * <p>Server errors are {@link SQLException}s with the server's SQLSTATE and message; a lost or
 * timed-out connection is an {@link IOException} (the connection is then unusable). No TLS: the
 * console is reached on the network the worker reaches the databases on.
 */
final class BouncerWire implements AutoCloseable {
  /** The protocol version of the start-up message: 3.0. */
  private static final int PROTOCOL_3_0 = 196608;

  /** Longest message taken from the console: SHOW output of a few hundred databases fits. */
  private static final int MAX_MESSAGE_BYTES = 16 << 20;

  private static final int AUTH_OK = 0;
  private static final int AUTH_CLEARTEXT = 3;
  private static final int AUTH_MD5 = 5;
  private static final int AUTH_SASL = 10;
  private static final int AUTH_SASL_CONTINUE = 11;
  private static final int AUTH_SASL_FINAL = 12;
  private static final String SCRAM = "SCRAM-SHA-256";

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /**
   * Connects and logs in to database {@code pgbouncer}.
   *
   * @param password {@code null} when the console trusts the connection
   * @throws SQLException the console refused the login (SQLSTATE 28P01 or 08P01, message kept)
   * @throws IOException the console did not answer within {@code timeout} or dropped the connection
   */
  BouncerWire(String address, int port, String user, String password, Duration timeout)
      throws IOException, SQLException {
    socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(address, port), millis(timeout));
      socket.setSoTimeout(millis(timeout));
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
      out = socket.getOutputStream();
      startup(user, password);
    } catch (IOException | SQLException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Runs one console command and returns its rows, each column by name (values as text, {@code
   * null} for NULL). Waits at most {@code timeout} for the answer; past it the connection is closed
   * and an {@link java.net.SocketTimeoutException} thrown.
   */
  List<Map<String, String>> query(String sql, Duration timeout) throws IOException, SQLException {
    socket.setSoTimeout(millis(timeout));
    try {
      send('Q', cString(sql));
      List<String> columns = List.of();
      List<Map<String, String>> rows = new ArrayList<>();
      SQLException error = null;
      while (true) {
        Message m = read();
        switch (m.type) {
          case 'T' -> columns = rowDescription(m.body);
          case 'D' -> rows.add(dataRow(m.body, columns));
          case 'E' -> error = error(m.body);
          case 'Z' -> {
            if (error != null) {
              throw error;
            }
            return rows;
          }
          default -> {
            // CommandComplete, notices, parameter changes: nothing to keep
          }
        }
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** A socket timeout: at least 1 ms (0 would wait forever), at most what an int holds. */
  private static int millis(Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  boolean isOpen() {
    return !socket.isClosed();
  }

  @Override
  public void close() {
    try {
      if (!socket.isClosed() && socket.isConnected()) {
        // Terminate, so the console does not log an unexpected end of file.
        out.write(new byte[] {'X', 0, 0, 0, 4});
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // closing anyway
    }
    try {
      socket.close();
    } catch (IOException e) {
      // gone either way
    }
  }

  // --- start-up and authentication --------------------------------------------------------------

  private void startup(String user, String password) throws IOException, SQLException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeInt(body, PROTOCOL_3_0);
    body.writeBytes(cString("user"));
    body.writeBytes(cString(user));
    body.writeBytes(cString("database"));
    body.writeBytes(cString("pgbouncer"));
    body.write(0);
    byte[] b = body.toByteArray();
    ByteArrayOutputStream msg = new ByteArrayOutputStream();
    writeInt(msg, b.length + 4);
    msg.writeBytes(b);
    out.write(msg.toByteArray());
    out.flush();
    Scram scram = null;
    while (true) {
      Message m = read();
      switch (m.type) {
        case 'R' -> {
          int code = readInt(m.body, 0);
          switch (code) {
            case AUTH_OK -> {}
            case AUTH_CLEARTEXT -> send('p', cString(required(password)));
            case AUTH_MD5 -> send('p', cString(md5(required(password), user, slice(m.body, 4, 4))));
            case AUTH_SASL -> {
              if (!mechanisms(m.body).contains(SCRAM)) {
                throw new SQLException("the console offers no SCRAM-SHA-256", "28000");
              }
              scram = new Scram(required(password));
              byte[] first = scram.clientFirst().getBytes(StandardCharsets.UTF_8);
              ByteArrayOutputStream p = new ByteArrayOutputStream();
              p.writeBytes(cString(SCRAM));
              writeInt(p, first.length);
              p.writeBytes(first);
              send('p', p.toByteArray());
            }
            case AUTH_SASL_CONTINUE -> {
              String serverFirst = text(slice(m.body, 4, m.body.length - 4));
              send('p', requiredScram(scram).clientFinal(serverFirst));
            }
            case AUTH_SASL_FINAL ->
                requiredScram(scram).verifyServerFinal(text(slice(m.body, 4, m.body.length - 4)));
            default ->
                throw new SQLException("the console asks for authentication " + code, "28000");
          }
        }
        case 'E' -> throw error(m.body);
        case 'Z' -> {
          return;
        }
        default -> {
          // ParameterStatus, BackendKeyData, notices
        }
      }
    }
  }

  private static String required(String password) throws SQLException {
    if (password == null) {
      throw new SQLException("the console asks for a password and none is set", "28P01");
    }
    return password;
  }

  private static Scram requiredScram(Scram scram) throws SQLException {
    if (scram == null) {
      throw new SQLException("SCRAM message out of order", "08P01");
    }
    return scram;
  }

  private static List<String> mechanisms(byte[] body) {
    List<String> names = new ArrayList<>();
    int at = 4;
    while (at < body.length && body[at] != 0) {
      int end = at;
      while (end < body.length && body[end] != 0) {
        end++;
      }
      names.add(new String(body, at, end - at, StandardCharsets.UTF_8));
      at = end + 1;
    }
    return names;
  }

  static String md5(String password, String user, byte[] salt) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      String inner = HexFormat.of().formatHex(md.digest(bytes(password + user)));
      md.reset();
      md.update(bytes(inner));
      md.update(salt);
      return "md5" + HexFormat.of().formatHex(md.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
  }

  /** The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677), without channel binding. */
  private static final class Scram {
    private final String password;
    private final String clientNonce;
    private String clientFirstBare;
    private byte[] saltedPassword;
    private String authMessage;

    Scram(String password) {
      this.password = password;
      byte[] nonce = new byte[18];
      new SecureRandom().nextBytes(nonce);
      this.clientNonce = Base64.getEncoder().encodeToString(nonce);
    }

    String clientFirst() {
      // The server takes the user from the start-up message; SCRAM's own user name stays empty.
      clientFirstBare = "n=,r=" + clientNonce;
      return "n,," + clientFirstBare;
    }

    byte[] clientFinal(String serverFirst) throws SQLException {
      Map<String, String> f = attributes(serverFirst);
      String nonce = f.get("r");
      if (nonce == null || !nonce.startsWith(clientNonce) || f.get("s") == null) {
        throw new SQLException("the console's SCRAM answer is malformed", "08P01");
      }
      int iterations;
      try {
        iterations = Integer.parseInt(f.getOrDefault("i", ""));
      } catch (NumberFormatException e) {
        throw new SQLException("the console's SCRAM iteration count is malformed", "08P01");
      }
      saltedPassword = pbkdf2(bytes(password), Base64.getDecoder().decode(f.get("s")), iterations);
      byte[] clientKey = hmac(saltedPassword, bytes("Client Key"));
      byte[] storedKey = sha256(clientKey);
      String withoutProof = "c=biws,r=" + nonce;
      authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
      byte[] signature = hmac(storedKey, bytes(authMessage));
      byte[] proof = new byte[clientKey.length];
      for (int i = 0; i < proof.length; i++) {
        proof[i] = (byte) (clientKey[i] ^ signature[i]);
      }
      return bytes(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    void verifyServerFinal(String serverFinal) throws SQLException {
      String v = attributes(serverFinal).get("v");
      byte[] serverKey = hmac(saltedPassword, bytes("Server Key"));
      String expected = Base64.getEncoder().encodeToString(hmac(serverKey, bytes(authMessage)));
      if (!expected.equals(v)) {
        throw new SQLException("the console's SCRAM signature does not verify", "28000");
      }
    }

    private static Map<String, String> attributes(String message) {
      Map<String, String> map = new HashMap<>();
      for (String part : message.split(",")) {
        if (part.length() >= 2 && part.charAt(1) == '=') {
          map.put(part.substring(0, 1), part.substring(2));
        }
      }
      return map;
    }

    private static byte[] pbkdf2(byte[] password, byte[] salt, int iterations) {
      byte[] block = new byte[salt.length + 4];
      System.arraycopy(salt, 0, block, 0, salt.length);
      block[block.length - 1] = 1;
      byte[] u = hmac(password, block);
      byte[] result = u.clone();
      for (int i = 1; i < iterations; i++) {
        u = hmac(password, u);
        for (int j = 0; j < result.length; j++) {
          result[j] ^= u[j];
        }
      }
      return result;
    }

    private static byte[] hmac(byte[] key, byte[] data) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
      }
    }

    private static byte[] sha256(byte[] data) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(data);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA-256 is missing from this JVM", e);
      }
    }
  }

  // --- messages ---------------------------------------------------------------------------------

  private record Message(char type, byte[] body) {}

  private Message read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("the console closed the connection");
    }
    int length = in.readInt();
    if (length < 4 || length > MAX_MESSAGE_BYTES) {
      throw new IOException("the console sent a message of " + length + " bytes");
    }
    byte[] body = new byte[length - 4];
    in.readFully(body);
    return new Message((char) type, body);
  }

  private void send(char type, byte[] body) throws IOException {
    ByteArrayOutputStream msg = new ByteArrayOutputStream(body.length + 5);
    msg.write(type);
    writeInt(msg, body.length + 4);
    msg.writeBytes(body);
    out.write(msg.toByteArray());
    out.flush();
  }

  private static List<String> rowDescription(byte[] body) {
    int n = readShort(body, 0);
    List<String> names = new ArrayList<>(n);
    int at = 2;
    for (int i = 0; i < n; i++) {
      int end = at;
      while (body[end] != 0) {
        end++;
      }
      names.add(new String(body, at, end - at, StandardCharsets.UTF_8));
      at = end + 1 + 18; // table oid, column, type oid, size, modifier, format
    }
    return names;
  }

  private static Map<String, String> dataRow(byte[] body, List<String> columns) {
    int n = readShort(body, 0);
    Map<String, String> row = new HashMap<>();
    int at = 2;
    for (int i = 0; i < n; i++) {
      int length = readInt(body, at);
      at += 4;
      String value = null;
      if (length >= 0) {
        value = new String(body, at, length, StandardCharsets.UTF_8);
        at += length;
      }
      row.put(i < columns.size() ? columns.get(i) : "column" + i, value);
    }
    return row;
  }

  private static SQLException error(byte[] body) {
    String state = null;
    String message = null;
    int at = 0;
    while (at < body.length && body[at] != 0) {
      char field = (char) body[at];
      int end = at + 1;
      while (end < body.length && body[end] != 0) {
        end++;
      }
      String value = new String(body, at + 1, end - at - 1, StandardCharsets.UTF_8);
      if (field == 'C') {
        state = value;
      } else if (field == 'M') {
        message = value;
      }
      at = end + 1;
    }
    return new SQLException(message == null ? "error without a message" : message, state);
  }

  private static byte[] cString(String s) {
    byte[] b = bytes(s);
    byte[] c = new byte[b.length + 1];
    System.arraycopy(b, 0, c, 0, b.length);
    return c;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static byte[] slice(byte[] b, int from, int length) {
    byte[] s = new byte[Math.max(0, length)];
    System.arraycopy(b, from, s, 0, s.length);
    return s;
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24)
        | ((b[at + 1] & 0xff) << 16)
        | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static int readShort(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  private static void writeInt(ByteArrayOutputStream o, int v) {
    o.write(v >>> 24);
    o.write(v >>> 16);
    o.write(v >>> 8);
    o.write(v);
  }
}
