package dev.cutover.hosts.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import dev.cutover.testing.SshTestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fingerprints and known_hosts lines as OpenSSH writes them. */
class HostKeysTest {
  @TempDir Path dir;

  @RealTools
  @Test
  void fingerprintAndLineMatchWhatOpenSshPrints() throws Exception {
    // given a server's host key, as sshj reads it from a known_hosts line
    try (SshTestServer server = SshTestServer.start()) {
      PublicKey key = parse(server.knownHostsLine());

      // when the worker formats it
      String fingerprint = HostKeys.fingerprint(key);
      String line = HostKeys.knownHostsLine("127.0.0.1", server.port(), key);

      // then both match the server's own view, and OpenSSH's ssh-keygen's
      assertThat(fingerprint)
          .isEqualTo(server.hostKeyFingerprint())
          .startsWith("SHA256:")
          .doesNotEndWith("=");
      assertThat(line).isEqualTo(server.knownHostsLine());
      Path file = Files.writeString(dir.resolve("kh"), line + "\n");
      Path sshKeygen = RequiredTool.onPath("ssh-keygen", "apt-get install openssh-client");
      Process keygen =
          new ProcessBuilder(sshKeygen.toString(), "-lf", file.toString())
              .redirectErrorStream(true)
              .start();
      String printed = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(keygen.waitFor()).isZero();
      assertThat(printed).contains(fingerprint);
    }
  }

  @Test
  void thePortGoesInBracketsUnlessItIs22() throws Exception {
    try (SshTestServer server = SshTestServer.start()) {
      PublicKey key = parse(server.knownHostsLine());
      assertThat(HostKeys.knownHostsLine("10.0.0.3", 22, key))
          .startsWith("10.0.0.3 ssh-ed25519 AAAA");
      assertThat(HostKeys.knownHostsLine("old.example", 2222, key))
          .startsWith("[old.example]:2222 ssh-ed25519 AAAA");
    }
  }

  @Test
  void pinnedFingerprintsAreNormalized() {
    assertThat(HostKeys.normalizePinned(" SHA256:abcDEF+/12= ")).isEqualTo("SHA256:abcDEF+/12");
    assertThat(HostKeys.normalizePinned("MD5:aa:bb")).isNull();
    assertThat(HostKeys.normalizePinned("SHA256:")).isNull();
  }

  private static PublicKey parse(String knownHostsLine) throws Exception {
    String[] fields = knownHostsLine.split(" ");
    return new Buffer.PlainBuffer(Base64.getDecoder().decode(fields[2])).readPublicKey();
  }
}
