package dev.cutover.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.hosts.ssh.SshConnections;
import dev.cutover.hosts.ssh.SshSettings;
import dev.cutover.plan.Host;
import dev.cutover.testing.SshTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over SSH (an in-process server running real processes) as on the local host: a script run during
 * an activity has every secret of the plan masked in the output it keeps and hands to the watch,
 * though the script's own command names none, and a line over the limit is masked before its cut.
 */
class PlanSecretsOverSshTest {
  @TempDir Path dir;

  @Test
  void aScriptThatNamesNoSecretHasThePlansSecretsMaskedInItsOutput() throws Exception {
    // given a file on the host holding a secret of the plan (a put wrote it), and an activity's
    // plan mask
    Path file = dir.resolve("written.conf");
    Files.writeString(file, SecretCorpus.TOKEN);
    String script =
        "f='"
            + file
            + "'\n"
            + "cat \"$f\"; echo\n"
            + "printf '{\"t\":\"%s\"}\\n' \"$(sed 's#/#\\\\/#g' \"$f\")\"\n"
            + "printf 'xy%s' \"$(cat \"$f\")\" | base64 -w0; echo\n"
            + "printf 'crlf %s\\r\\n' \"$(cat \"$f\")\"\n"
            + "printf 'long %s' \"$(cat \"$f\")\"; head -c 3990 /dev/zero | tr '\\0' a; echo\n"
            + "cat \"$f\" >&2\n";
    List<String> watched = Collections.synchronizedList(new ArrayList<>());
    ShellResult result;
    try (SshTestServer server = SshTestServer.start();
        SshConnections ssh =
            new SshConnections(SshSettings.defaults(), new SecretResolver(Map.of()))) {
      Host host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));
      ActivitySecrets.set(SecretMask.of(SecretCorpus.values()));
      HostShell shell;
      try {
        shell = new HostShells(ssh, Set.of()).shell("old", host);
      } finally {
        ActivitySecrets.clear();
      }

      // when the script runs (the mask was handed over when the activity asked for the shell)
      result =
          shell.exec(
              ShellCommand.of(script, Duration.ofSeconds(30)),
              new ExecWatch() {
                @Override
                public void line(String line) {
                  watched.add(line);
                }
              });
    }

    // then every line that held the secret shows the mask instead, in the tail and to the watch
    assertThat(result.exitCode()).isZero();
    assertThat(watched).contains("***", "{\"t\":\"***\"}", "crlf ***");
    // (stdout and stderr are read apart, so which of their lines comes last in the tail varies)
    assertThat(result.outputTail()).contains("***");
    assertThat(SecretCorpus.hits(result.outputTail())).isEmpty();
    assertThat(SecretCorpus.hits(String.join("\n", watched))).isEmpty();
    assertThat(watched)
        .anyMatch(l -> l.endsWith("a".repeat(3990)) && l.length() <= HostShell.TAIL_CHARS);
  }
}
