package dev.cutover.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signs a claim with {@code ssh-keygen -Y sign}: the key is a private key file, or a public key
 * whose private half is in ssh-agent (ssh-keygen asks the agent then). No shell: an argument list.
 */
final class SshSigner {
  /** Where the key comes from when --sign-with is not given. */
  static final String KEY_ENV = "CUTOVER_SIGNING_KEY";

  /** Long enough to type a key's passphrase at ssh-keygen's prompt; signing itself is instant. */
  private static final long PATIENCE_SECONDS = 120;

  /** A nonce: 128 random bits are never drawn twice. */
  private static final int NONCE_BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();

  private SshSigner() {}

  /** The key to sign with: the option, else $CUTOVER_SIGNING_KEY; {@code null} for neither. */
  static Path key(Path option) {
    if (option != null) {
      return option;
    }
    String env = System.getenv(KEY_ENV);
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  static String nonce() {
    byte[] b = new byte[NONCE_BYTES];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Fails with one line when the key file cannot be read; checked before anything is sent. */
  static void requireReadable(Path key) {
    if (!Files.isRegularFile(key) || !Files.isReadable(key)) {
      throw new CliFailure(
          ExitCode.INVALID_INPUT,
          "cannot read the signing key "
              + key
              + ": give a private key file, or a .pub whose private key is in ssh-agent");
    }
  }

  /** The armored signature of {@code text} in {@code namespace}; a clear CliFailure otherwise. */
  static String sign(Path key, String text, String namespace) {
    requireReadable(key);
    Path dir = null;
    try {
      dir = Files.createTempDirectory("cutover-sign");
      Path message = dir.resolve("claim");
      Files.writeString(message, text, StandardCharsets.UTF_8);
      Process p;
      try {
        p =
            new ProcessBuilder(
                    List.of(
                        "ssh-keygen",
                        "-Y",
                        "sign",
                        "-n",
                        namespace,
                        "-f",
                        key.toString(),
                        message.toString()))
                .redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectErrorStream(true)
                .start();
      } catch (IOException missing) {
        throw new CliFailure(
            ExitCode.FAILED,
            "cannot sign: ssh-keygen is not installed or not on PATH (install OpenSSH's client,"
                + " e.g. apt-get install openssh-client)");
      }
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new CliFailure(
            ExitCode.FAILED, "ssh-keygen did not sign within " + PATIENCE_SECONDS + "s");
      }
      Path signature = dir.resolve("claim.sig");
      if (p.exitValue() != 0 || !Files.exists(signature)) {
        throw new CliFailure(
            ExitCode.FAILED,
            "ssh-keygen could not sign with "
                + key
                + ": "
                + lastLine(output)
                + (key.toString().endsWith(".pub") ? " (is its private key in ssh-agent?)" : ""));
      }
      return Files.readString(signature, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CliFailure(ExitCode.FAILED, "cannot sign: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(ExitCode.FAILED, "interrupted while signing");
    } finally {
      deleteQuietly(dir);
    }
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    String last = lines.length == 0 ? "" : lines[lines.length - 1].strip();
    return last.isEmpty() ? "no message" : TemporalConnection.firstLine(last);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temp file of a signed claim holds nothing secret
    }
  }
}
