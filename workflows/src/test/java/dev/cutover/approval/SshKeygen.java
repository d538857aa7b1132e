package dev.cutover.approval;

import dev.cutover.testing.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real ssh-keygen, run on keys in a test's temporary directory. */
final class SshKeygen {
  private static final long TIMEOUT_SECONDS = 60;

  private final Path program;
  private final Path dir;

  SshKeygen(Path dir) {
    this.program = RequiredTool.onPath("ssh-keygen", "apt-get install openssh-client");
    this.dir = dir;
  }

  /** A new key without a passphrase: {@code ssh-keygen -t TYPE -N '' -f DIR/NAME}. */
  Path newKey(String name, String type, String... extra) throws IOException, InterruptedException {
    Path key = dir.resolve(name);
    List<String> args =
        new ArrayList<>(List.of("-q", "-t", type, "-N", "", "-C", name, "-f", key.toString()));
    args.addAll(List.of(extra));
    run(args);
    return key;
  }

  /** The allowed_signers line for {@code key}: the principal, then its public key file's text. */
  String allowedSignersLine(String principal, Path key) throws IOException {
    return principal + " " + Files.readString(publicKey(key), StandardCharsets.UTF_8).strip();
  }

  static Path publicKey(Path key) {
    return key.resolveSibling(key.getFileName() + ".pub");
  }

  /** {@code ssh-keygen -Y sign -n NAMESPACE -f KEY FILE} over {@code text}; the armored result. */
  String sign(Path key, String namespace, String text, String... options)
      throws IOException, InterruptedException {
    Path file = Files.createTempFile(dir, "claim", ".txt");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    List<String> args =
        new ArrayList<>(List.of("-Y", "sign", "-n", namespace, "-f", key.toString()));
    for (String option : options) {
      args.addAll(List.of("-O", option));
    }
    args.add(file.toString());
    run(args);
    return Files.readString(
        file.resolveSibling(file.getFileName() + ".sig"), StandardCharsets.UTF_8);
  }

  /** What {@code ssh-keygen -l -E sha256 -f KEY.pub} prints as the fingerprint. */
  String fingerprint(Path key) throws IOException, InterruptedException {
    String out = run(List.of("-l", "-E", "sha256", "-f", publicKey(key).toString()));
    return out.split(" ")[1];
  }

  private String run(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("ssh-keygen " + args + " did not finish");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("ssh-keygen " + args + " failed: " + out);
    }
    return out;
  }
}
