package dev.cutover.steps.rsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The rsync command line, built without running rsync. Quoting is checked by the reader that
 * matters: the script goes through a real {@code /bin/sh} (with a function named {@code rsync} that
 * prints the arguments it got), and the {@code -e} value is split the way rsync splits it.
 */
class RsyncCommandTest {
  static final RsyncCommand.Remote NEW =
      new RsyncCommand.Remote("deploy", "10.0.0.2", 22, null, false, null);

  @Test
  void localCopyOfTheContentsWithArchiveProgressAndStats() {
    // given a copy on one machine
    RsyncCommand command = RsyncCommand.local("/srv/app", "/srv/app-copy/");

    // when its arguments are built
    List<String> args = command.arguments();

    // then both paths are directories with a trailing slash (the contents are copied), after "--",
    // and the options give archive mode, overall progress and statistics, without ssh
    assertThat(args)
        .containsExactly(
            "rsync",
            "-a",
            "--info=progress2",
            "--no-inc-recursive",
            "--stats",
            "--",
            "/srv/app/",
            "/srv/app-copy/");
  }

  @Test
  void preflightsHopCheckLogsInWithRsyncsOwnSshOptions() throws Exception {
    // given a push to another host with a key and the worker-written known_hosts
    RsyncCommand command =
        RsyncCommand.push(
                "/srv/app",
                new RsyncCommand.Remote("deploy", "192.0.2.3", 2222, "/root/.ssh/hop", false, null),
                "/srv/app")
            .knownHostsFile("/tmp/k/known_hosts");

    // when the check's script is read by /bin/sh
    List<String> check = argumentsAsShellSeesThem(command.sshCheckScript());

    // then it is rsync's remote shell word for word (after the program's name), then the login and
    // `true`
    List<String> remoteShell =
        List.of(command.sshCommand().split(" ")).subList(1, command.sshCommand().split(" ").length);
    assertThat(check.subList(0, remoteShell.size())).isEqualTo(remoteShell);
    assertThat(check.subList(remoteShell.size(), check.size()))
        .containsExactly("-l", "deploy", "--", "192.0.2.3", "true");
  }

  @Test
  void optionsForDeleteExcludesPartialAndBandwidth() {
    // given a copy with every option the step has
    RsyncCommand command =
        RsyncCommand.local("/a", "/b")
            .delete(true)
            .excludes(List.of("cache/", "*.tmp"))
            .partial(true)
            .bandwidthLimit(5000);

    // when its arguments are built
    List<String> args = command.arguments();

    // then each option is one argument, and the partial dir is kept out of the transfer and of
    // --delete
    assertThat(args)
        .containsSubsequence(
            "--delete",
            "--exclude=cache/",
            "--exclude=*.tmp",
            "--partial-dir=.rsync-partial",
            "--exclude=.rsync-partial/",
            "--bwlimit=5000",
            "--",
            "/a/",
            "/b/");
  }

  @Test
  void pathsAndExcludesWithSpacesQuotesAndShellCharactersReachRsyncUnchanged() throws Exception {
    // given paths and an exclude that a shell would split, expand or run if they were not quoted
    String source = "/srv/it's here/$HOME `id` \"x\"";
    String target = "/srv/new dir/a;b|c&d";
    String exclude = "sub dir/*.log'\"";
    RsyncCommand command = RsyncCommand.local(source, target).excludes(List.of(exclude));

    // when /bin/sh reads the script
    List<String> received = argumentsAsShellSeesThem(command.script());

    // then rsync would get exactly the arguments the builder meant, nothing expanded or split
    assertThat(received).isEqualTo(command.arguments().subList(1, command.arguments().size()));
    assertThat(received)
        .contains(
            "/srv/it's here/$HOME `id` \"x\"/", "/srv/new dir/a;b|c&d/", "--exclude=" + exclude);
  }

  @Test
  void relativeLocalPathIsNotTakenForARemoteOne() {
    // given a relative path with a colon, which rsync would read as host:path
    RsyncCommand command = RsyncCommand.local("data:2024", "backup");

    // then it gets ./ in front
    assertThat(command.arguments()).endsWith("./data:2024/", "./backup/");
  }

  @Test
  void pushSendsToUserAtAddressWithTheCheckedSshCommand() {
    // given a push from the running host to a remote target
    RsyncCommand command =
        RsyncCommand.push("/srv/app", NEW, "/srv/app")
            .knownHostsFile("/tmp/cutover-rsync.ab12/known_hosts");

    // when its arguments are built
    List<String> args = command.arguments();

    // then the remote side is user@address:path/, the paths travel inside the protocol (-s), and
    // ssh
    // checks the host key strictly against the given file only, without prompting
    assertThat(args).containsSequence("--", "/srv/app/", "deploy@10.0.0.2:/srv/app/");
    assertThat(args).contains("-s", "-e");
    assertThat(args.get(args.indexOf("-e") + 1)).isEqualTo(command.sshCommand());
    assertThat(rsyncSplit(command.sshCommand()))
        .containsExactly(
            "ssh",
            "-p",
            "22",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=yes",
            "-o",
            "UserKnownHostsFile=/tmp/cutover-rsync.ab12/known_hosts",
            "-o",
            "GlobalKnownHostsFile=/dev/null",
            "-o",
            "ConnectTimeout=30",
            "-o",
            "ServerAliveInterval=15",
            "-o",
            "ServerAliveCountMax=4");
    assertThat(args).noneMatch(a -> a.startsWith("--rsync-path"));
  }

  @Test
  void pullFetchesFromTheRemoteSource() {
    // given a pull: the running host is the target
    RsyncCommand command =
        RsyncCommand.pull(NEW, "/srv/app", "/srv/copy").knownHostsFile("/tmp/kh");

    // then the remote spec comes first
    assertThat(command.arguments()).endsWith("--", "deploy@10.0.0.2:/srv/app/", "/srv/copy/");
  }

  @Test
  void sudoOnTheRemoteSideRunsRsyncThroughSudoN() throws Exception {
    // given a remote host whose rsync must run as root
    RsyncCommand.Remote root =
        new RsyncCommand.Remote("deploy", "new.example.net", 22, null, true, null);
    RsyncCommand command = RsyncCommand.push("/a", root, "/b").knownHostsFile("/tmp/kh");

    // then rsync is told to start its remote half with sudo -n, as one argument through the shell
    assertThat(command.arguments()).contains("--rsync-path=sudo -n rsync");
    assertThat(argumentsAsShellSeesThem(command.script())).contains("--rsync-path=sudo -n rsync");
  }

  @Test
  void identityPortAndIpv6AddressInTheSshCommand() {
    // given a remote on a non-standard port, by IPv6 address, with a key file whose name has a
    // space and a quote
    RsyncCommand.Remote remote =
        new RsyncCommand.Remote("app", "fd00::2", 2222, "/home/app/.ssh/it's key", false, null);
    RsyncCommand command =
        RsyncCommand.push("/a", remote, "/b").knownHostsFile("/tmp/kh").sshProgram("/usr/bin/ssh");

    // then the address is bracketed in the spec, and rsync reads the key path back as one word
    assertThat(command.arguments()).endsWith("app@[fd00::2]:/b/");
    List<String> ssh = rsyncSplit(command.sshCommand());
    assertThat(ssh.get(0)).isEqualTo("/usr/bin/ssh");
    assertThat(ssh)
        .containsSequence("-p", "2222")
        .containsSequence("-i", "/home/app/.ssh/it's key", "-o", "IdentitiesOnly=yes");
  }

  @Test
  void jumpHostBecomesAProxyCommandCheckedAgainstTheSameFile() {
    // given a remote reached through a bastion
    RsyncCommand.Remote bastion =
        new RsyncCommand.Remote("jump", "bastion.example.net", 2200, "/keys/jump key", false, null);
    RsyncCommand.Remote remote =
        new RsyncCommand.Remote("deploy", "10.1.0.5", 22, null, false, bastion);
    RsyncCommand command = RsyncCommand.push("/a", remote, "/b").knownHostsFile("/tmp/kh");

    // when rsync splits the ssh command
    List<String> ssh = rsyncSplit(command.sshCommand());

    // then one ProxyCommand option holds a strict ssh -W to the bastion, its words quoted for the
    // shell ssh runs it with
    String proxy = ssh.get(ssh.size() - 1);
    assertThat(ssh.get(ssh.size() - 2)).isEqualTo("-o");
    assertThat(proxy)
        .startsWith(
            "ProxyCommand=ssh -p 2200 -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=/tmp/kh")
        .contains("-i '/keys/jump key'")
        .endsWith("-l jump -W %h:%p bastion.example.net");
  }

  @Test
  void rsyncQuoteDoublesQuotesInsideQuotes() {
    assertThat(RsyncCommand.rsyncQuote("plain/path-1.2")).isEqualTo("plain/path-1.2");
    assertThat(RsyncCommand.rsyncQuote("a b")).isEqualTo("'a b'");
    assertThat(RsyncCommand.rsyncQuote("it's")).isEqualTo("'it''s'");
    assertThat(rsyncSplit(RsyncCommand.rsyncQuote("it's a \"b\"") + " next"))
        .containsExactly("it's a \"b\"", "next");
  }

  // --- helpers --------------------------------------------------------------------------------

  /**
   * What the shell passes to rsync (or ssh): the script run with functions that print their
   * arguments, NUL-separated.
   */
  static List<String> argumentsAsShellSeesThem(String script)
      throws IOException, InterruptedException {
    // ssh too is a function here: a script under test must never reach a network.
    Process p =
        new ProcessBuilder(
                "/bin/sh",
                "-c",
                "rsync() { printf '%s\\0' \"$@\"; }\nssh() { printf '%s\\0' \"$@\"; }\n" + script)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of(text.split("\0", -1)));
    args.remove(args.size() - 1);
    return args;
  }

  /**
   * rsync's own splitting of an {@code -e} command (main.c, do_cmd): spaces, and quotes with
   * doubled quotes inside.
   */
  static List<String> rsyncSplit(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char inQuote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (inQuote == 0 && c == ' ') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == '\'' || c == '"') {
        if (inQuote == 0) {
          inQuote = c;
          continue;
        }
        if (c == inQuote) {
          if (i + 1 < command.length() && command.charAt(i + 1) == inQuote) {
            word.append(c);
            i++;
          } else {
            inQuote = 0;
          }
          continue;
        }
      }
      word.append(c);
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
