package dev.cutover.steps.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.hosts.ssh.SshConnections;
import dev.cutover.hosts.ssh.SshSettings;
import dev.cutover.plan.DnsProvider;
import dev.cutover.plan.Host;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.SshTestServer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hosts-file provider on real files: two local hosts (temp files as their /etc/hosts), and one
 * over ssh.
 */
class DnsHostsFileTest {
  static final String OLD_HOSTS =
      """
      127.0.0.1\tlocalhost
      # the app
      192.0.2.10  app.internal app   # old server
      2001:db8::10 app.internal
      192.0.2.99\tother.internal
      """;

  @TempDir Path dir;
  final DnsActivitiesImpl dns =
      new DnsActivitiesImpl(
          new SecretResolver(Map.of()), new HostShells(new NoSshTransport(), Set.of()));

  DnsTarget twoHosts(Path web, Path worker) {
    return new DnsTarget(
        "hosts",
        DnsProvider.HOSTS_FILE,
        null,
        List.of(),
        null,
        null,
        null,
        List.of(
            new DnsHostsFile("web", Host.local(null), web.toString(), false),
            new DnsHostsFile("worker", Host.local(null), worker.toString(), false)));
  }

  @Test
  void anAddressIsSwitchedOnEveryHostKeepingCommentsOtherNamesAndTheFile() throws Exception {
    // given the same hosts file on two hosts
    Path web = Files.writeString(dir.resolve("web-hosts"), OLD_HOSTS);
    Path worker = Files.writeString(dir.resolve("worker-hosts"), OLD_HOSTS);
    Object inode = Files.getAttribute(web, "unix:ino");
    DnsTarget target = twoHosts(web, worker);

    // when app.internal is switched to the new server, and the wait asks both files
    DnsChangeResult result =
        dns.setRecord(
            new DnsSetRequest(
                "switch",
                target,
                "app.internal",
                DnsRecordType.A,
                List.of("198.51.100.10"),
                null,
                List.of("192.0.2.10")));
    List<DnsWaitProgress> beats = new ArrayList<>();
    DnsWaitResult waited =
        dns.waitForAnswer(
            new DnsWaitRequest(
                "wait",
                target,
                "app.internal",
                DnsRecordType.A,
                List.of("198.51.100.10"),
                null,
                null),
            beats::add);

    // then only the A line's address changed, in place, on both hosts
    String expected = OLD_HOSTS.replace("192.0.2.10  app.internal", "198.51.100.10  app.internal");
    assertThat(Files.readString(web)).isEqualTo(expected);
    assertThat(Files.readString(worker)).isEqualTo(expected);
    assertThat(Files.getAttribute(web, "unix:ino")).isEqualTo(inode);
    assertThat(result.changed()).isTrue();
    assertThat(result.previousValues()).containsExactly("192.0.2.10");
    assertThat(result.ttl()).isNull();
    assertThat(waited.servers()).containsExactly("web", "worker");
    assertThat(beats).hasSize(1);
    assertThat(beats.get(0).answers()).containsEntry("worker", List.of("198.51.100.10"));

    // and when the undo puts the old address back, then the files are as before
    dns.setRecord(
        new DnsSetRequest(
            "switch-undo",
            target,
            "app.internal",
            DnsRecordType.A,
            result.previousValues(),
            null,
            result.values()));
    assertThat(Files.readString(web)).isEqualTo(OLD_HOSTS);
    assertThat(Files.readString(worker)).isEqualTo(OLD_HOSTS);
  }

  @Test
  void aRetryAfterOneHostWasWrittenFinishesTheOtherAndKeepsTheOriginalAsPrevious()
      throws Exception {
    // given one host already switched (a crash between the two writes)
    Path web =
        Files.writeString(
            dir.resolve("web-hosts"), OLD_HOSTS.replace("192.0.2.10 ", "198.51.100.10 "));
    Path worker = Files.writeString(dir.resolve("worker-hosts"), OLD_HOSTS);

    // when the step runs again
    DnsChangeResult result =
        dns.setRecord(
            new DnsSetRequest(
                "switch",
                twoHosts(web, worker),
                "app.internal",
                DnsRecordType.A,
                List.of("198.51.100.10"),
                null,
                List.of("192.0.2.10")));

    // then the second host is switched too and the previous value is the original one
    assertThat(result.changed()).isTrue();
    assertThat(result.previousValues()).containsExactly("192.0.2.10");
    assertThat(Files.readString(worker)).contains("198.51.100.10  app.internal app   # old server");
  }

  @Test
  void aNameIsAddedAndRemovedAgain() throws Exception {
    // given hosts files without the name
    Path web = Files.writeString(dir.resolve("web-hosts"), OLD_HOSTS);
    Path worker = Files.writeString(dir.resolve("worker-hosts"), OLD_HOSTS);
    DnsTarget target = twoHosts(web, worker);

    // when an IPv6 address is added for a new name, then removed
    DnsChangeResult added =
        dns.setRecord(
            new DnsSetRequest(
                "add",
                target,
                "db.internal",
                DnsRecordType.AAAA,
                List.of("2001:DB8::5"),
                null,
                List.of()));
    String withName = Files.readString(web);
    DnsChangeResult removed =
        dns.setRecord(
            new DnsSetRequest(
                "add-undo", target, "db.internal", DnsRecordType.AAAA, List.of(), null, List.of()));

    // then the line appeared at the end and is gone again, the rest untouched
    assertThat(added.previousExisted()).isFalse();
    assertThat(withName).isEqualTo(OLD_HOSTS + "2001:db8::5\tdb.internal\n");
    assertThat(removed.changed()).isTrue();
    assertThat(Files.readString(web)).isEqualTo(OLD_HOSTS);
    assertThat(Files.readString(worker)).isEqualTo(OLD_HOSTS);
  }

  @Test
  void anUnexpectedAddressOnOneHostStopsBeforeAnyFileChanges() throws Exception {
    // given a second host whose file points the name elsewhere
    Path web = Files.writeString(dir.resolve("web-hosts"), OLD_HOSTS);
    Path worker =
        Files.writeString(
            dir.resolve("worker-hosts"), OLD_HOSTS.replace("192.0.2.10 ", "192.0.2.77 "));

    // when the switch runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setRecord(
                    new DnsSetRequest(
                        "switch",
                        twoHosts(web, worker),
                        "app.internal",
                        DnsRecordType.A,
                        List.of("198.51.100.10"),
                        null,
                        List.of("192.0.2.10"))));

    // then it stops naming the host and what it holds, and neither file changed
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.getOriginalMessage())
        .contains("worker holds 192.0.2.77")
        .contains("expects 192.0.2.10");
    assertThat(Files.readString(web)).isEqualTo(OLD_HOSTS);
  }

  @Test
  void ttlAndCnameAreRefusedAsConfiguration() throws Exception {
    // given hosts files
    Path web = Files.writeString(dir.resolve("web-hosts"), OLD_HOSTS);
    DnsTarget target = twoHosts(web, web);

    // when a TTL or a CNAME is asked of them
    ApplicationFailure ttl =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setTtl(
                    new DnsTtlRequest(
                        "lower-ttl",
                        target,
                        "app.internal",
                        DnsRecordType.A,
                        Duration.ofSeconds(60))));
    ApplicationFailure cname =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setRecord(
                    new DnsSetRequest(
                        "switch",
                        target,
                        "app.internal",
                        DnsRecordType.CNAME,
                        List.of("lb.internal"),
                        null,
                        List.of())));

    // then both are configuration errors
    assertThat(ttl.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(ttl.getOriginalMessage()).contains("a hosts file has no TTL");
    assertThat(cname.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(cname.getOriginalMessage()).contains("not CNAME");
  }

  @Test
  void roundRobinValuesTakeTheExistingLinesThenNewOnesAndSurplusLinesLoseTheName() {
    // given a name on two lines, one shared with an alias
    String text = "10.0.0.1 a\n10.0.0.2 a b # two\n10.0.0.9 c\n";

    // when it gets three values, then one
    String three =
        HostsFile.rewrite(text, "a", DnsRecordType.A, List.of("10.1.0.1", "10.1.0.2", "10.1.0.3"));
    String one = HostsFile.rewrite(text, "A", DnsRecordType.A, List.of("10.1.0.1"));

    // then lines are reused in order, a new line follows them, and the surplus line keeps its other
    // name
    assertThat(three).isEqualTo("10.1.0.1 a\n10.1.0.2 a b # two\n10.1.0.3\ta\n10.0.0.9 c\n");
    assertThat(one).isEqualTo("10.1.0.1 a\n10.0.0.2\tb # two\n10.0.0.9 c\n");
    assertThat(HostsFile.values(three, "a", DnsRecordType.A))
        .containsExactly("10.1.0.1", "10.1.0.2", "10.1.0.3");
  }

  @Test
  void aHostsFileOverSshIsSwitchedToo() throws Exception {
    // given a host reached over ssh with a hosts file
    try (SshTestServer server = SshTestServer.start();
        SshConnections ssh =
            new SshConnections(SshSettings.defaults(), new SecretResolver(Map.of()))) {
      Path file = Files.writeString(dir.resolve("remote-hosts"), OLD_HOSTS);
      Host host = server.host(server.writeKnownHosts(dir.resolve("known_hosts")));
      DnsActivitiesImpl overSsh =
          new DnsActivitiesImpl(new SecretResolver(Map.of()), new HostShells(ssh, Set.of()));
      DnsTarget target =
          new DnsTarget(
              "hosts",
              DnsProvider.HOSTS_FILE,
              null,
              List.of(),
              null,
              null,
              null,
              List.of(new DnsHostsFile("remote", host, file.toString(), false)));

      // when the name is read and switched
      DnsRecordState before =
          overSsh.readRecord(new DnsReadRequest("read", target, "app", DnsRecordType.A));
      DnsChangeResult result =
          overSsh.setRecord(
              new DnsSetRequest(
                  "switch",
                  target,
                  "app",
                  DnsRecordType.A,
                  List.of("198.51.100.10"),
                  null,
                  List.of("192.0.2.10")));

      // then the remote file holds the new address on the same line
      assertThat(before.values()).containsExactly("192.0.2.10");
      assertThat(before.servers()).containsExactly("remote");
      assertThat(result.changed()).isTrue();
      assertThat(Files.readString(file)).contains("198.51.100.10  app.internal app   # old server");
    }
  }

  @Test
  void aTemporaryFileLeftByAnEarlierAttemptIsReplacedAndGoneAfterTheWrite() throws Exception {
    // given an earlier attempt's temporary files beside both hosts files: a read-only one with a
    // half text, and a
    // symlink to another file
    Path web = Files.writeString(dir.resolve("web-hosts"), OLD_HOSTS);
    Path worker = Files.writeString(dir.resolve("worker-hosts"), OLD_HOSTS);
    Object inode = Files.getAttribute(web, "unix:ino");
    Path webTemp =
        Files.writeString(
            dir.resolve("web-hosts" + HostsFileRecords.TEMP_SUFFIX), OLD_HOSTS.substring(0, 20));
    webTemp.toFile().setWritable(false);
    Path elsewhere = Files.writeString(dir.resolve("elsewhere"), "not a hosts file\n");
    Path workerTemp =
        Files.createSymbolicLink(
            dir.resolve("worker-hosts" + HostsFileRecords.TEMP_SUFFIX), elsewhere);

    // when the switch runs
    dns.setRecord(
        new DnsSetRequest(
            "switch",
            twoHosts(web, worker),
            "app.internal",
            DnsRecordType.A,
            List.of("198.51.100.10"),
            null,
            List.of("192.0.2.10")));

    // then both files hold the whole new text, in place, the temporary files are gone and the
    // symlink's target is untouched
    String expected = OLD_HOSTS.replace("192.0.2.10  app.internal", "198.51.100.10  app.internal");
    assertThat(Files.readString(web)).isEqualTo(expected);
    assertThat(Files.readString(worker)).isEqualTo(expected);
    assertThat(Files.getAttribute(web, "unix:ino")).isEqualTo(inode);
    assertThat(webTemp).doesNotExist();
    assertThat(Files.exists(workerTemp, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(elsewhere)).isEqualTo("not a hosts file\n");
  }

  @Test
  void aTransferCutShortLeavesTheFileWholeAndTheRetryWrites() throws Exception {
    // given a host whose connection delivers only half of the new text (the writer's stdin is cut,
    // as when ssh drops)
    Path web = Files.writeString(dir.resolve("web-hosts"), OLD_HOSTS);
    Object inode = Files.getAttribute(web, "unix:ino");
    DnsTarget target =
        new DnsTarget(
            "hosts",
            DnsProvider.HOSTS_FILE,
            null,
            List.of(),
            null,
            null,
            null,
            List.of(new DnsHostsFile("web", Host.local(null), web.toString(), false)));
    DnsActivitiesImpl cut =
        new DnsActivitiesImpl(
            new SecretResolver(Map.of()),
            new AlteredWrites(
                command ->
                    command.withStdin(Arrays.copyOf(command.stdin(), command.stdin().length / 2))));
    DnsSetRequest request =
        new DnsSetRequest(
            "switch",
            target,
            "app.internal",
            DnsRecordType.A,
            List.of("198.51.100.10"),
            null,
            List.of("192.0.2.10"));

    // when the switch runs over it
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> cut.setRecord(request));

    // then it fails retryably naming the file, and the file is whole and untouched, with no
    // temporary file left
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getType()).isEqualTo(CutoverErrors.CONNECTION_LOST);
    assertThat(failure.getOriginalMessage())
        .contains("step switch on host web")
        .contains(web.toString())
        .contains("arrived incomplete");
    assertThat(Files.readString(web)).isEqualTo(OLD_HOSTS);
    assertThat(Files.getAttribute(web, "unix:ino")).isEqualTo(inode);
    assertThat(dir.resolve("web-hosts" + HostsFileRecords.TEMP_SUFFIX)).doesNotExist();

    // and when the retry runs over a whole connection, then it switches from the original text
    DnsChangeResult retried = dns.setRecord(request);
    assertThat(retried.changed()).isTrue();
    assertThat(retried.previousValues()).containsExactly("192.0.2.10");
    assertThat(Files.readString(web))
        .isEqualTo(OLD_HOSTS.replace("192.0.2.10  app.internal", "198.51.100.10  app.internal"));
    assertThat(Files.getAttribute(web, "unix:ino")).isEqualTo(inode);
  }

  @Test
  void anEditBetweenReadAndWriteIsKeptAndNoTemporaryFileStays() throws Exception {
    // given a host where someone edits the file just as cutover writes it
    Path web = Files.writeString(dir.resolve("web-hosts"), OLD_HOSTS);
    String edited = OLD_HOSTS + "192.0.2.50\tnew.internal\n";
    DnsTarget target =
        new DnsTarget(
            "hosts",
            DnsProvider.HOSTS_FILE,
            null,
            List.of(),
            null,
            null,
            null,
            List.of(new DnsHostsFile("web", Host.local(null), web.toString(), false)));
    DnsActivitiesImpl racing =
        new DnsActivitiesImpl(
            new SecretResolver(Map.of()),
            new AlteredWrites(
                command -> {
                  try {
                    Files.writeString(web, edited);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  return command;
                }));

    // when the switch runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                racing.setRecord(
                    new DnsSetRequest(
                        "switch",
                        target,
                        "app.internal",
                        DnsRecordType.A,
                        List.of("198.51.100.10"),
                        null,
                        List.of("192.0.2.10"))));

    // then it stops for a person, the edit is kept and the temporary file is gone
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.getOriginalMessage()).contains("changed since it was read");
    assertThat(Files.readString(web)).isEqualTo(edited);
    assertThat(dir.resolve("web-hosts" + HostsFileRecords.TEMP_SUFFIX)).doesNotExist();
  }

  /**
   * Local hosts whose writes (the scripts given stdin) are altered first: a cut transfer, an edit
   * racing the write.
   */
  static final class AlteredWrites extends HostShells {
    private final UnaryOperator<ShellCommand> alter;

    AlteredWrites(UnaryOperator<ShellCommand> alter) {
      super(new NoSshTransport(), Set.of());
      this.alter = alter;
    }

    @Override
    public HostShell shell(String hostName, Host host) {
      HostShell real = super.shell(hostName, host);
      return new HostShell() {
        @Override
        public String hostName() {
          return real.hostName();
        }

        @Override
        public ShellResult exec(ShellCommand command, ExecWatch watch) {
          return real.exec(command.stdin() == null ? command : alter.apply(command), watch);
        }
      };
    }
  }
}
