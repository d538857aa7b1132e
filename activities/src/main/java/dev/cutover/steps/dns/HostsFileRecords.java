package dev.cutover.steps.dns;

import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Records in the hosts file of each listed host ({@link HostsFile} says how lines change), read and
 * written through the host's shell. A and AAAA only, and without TTL. Each host's file is its own
 * copy: a change writes every file that does not hold the new values yet.
 *
 * <p>The file is written in place ({@code cat tmp > file}), keeping its inode, owner and mode,
 * because {@code /etc/hosts} is often a bind mount (containers) that a rename would not reach. The
 * new text first goes to a temporary file beside it and is copied only once that file's SHA-256 is
 * the one computed here: a connection that drops while the text travels leaves the original whole
 * (not truncated, localhost lines and all), and the retry starts from it. The copy happens only if
 * the file's SHA-256 is still that of the text just read, so an edit made in between is not
 * overwritten ({@code StateConflict}).
 */
final class HostsFileRecords implements DnsRecords {
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  /**
   * Beside the file, where the new text lands before it is copied in; a leftover of an earlier
   * attempt is replaced.
   */
  static final String TEMP_SUFFIX = ".cutover-tmp";

  /** The script's exit code when the file changed between reading and writing. */
  private static final int EXIT_CHANGED = 3;

  /** The script's exit code when the new text arrived incomplete (the transfer was cut). */
  private static final int EXIT_INCOMPLETE = 4;

  private final String step;
  private final DnsTarget target;
  private final HostShells shells;

  HostsFileRecords(String step, DnsTarget target, HostShells shells) {
    this.step = step;
    this.target = target;
    this.shells = shells;
    if (target.hostsFiles().isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          where() + ": dns entry " + target.name() + " lists no hosts files",
          CutoverErrors.INVALID_CONFIG);
    }
  }

  @Override
  public String zone() {
    return null;
  }

  @Override
  public String absoluteName(String name) {
    String t = name == null ? "" : name.trim();
    if (t.endsWith(".")) {
      t = t.substring(0, t.length() - 1);
    }
    if (t.isEmpty()
        || t.equals("@")
        || t.chars().anyMatch(c -> Character.isWhitespace(c) || c == '#')) {
      throw ApplicationFailure.newNonRetryableFailure(
          where() + ": '" + name + "' is not a host name a hosts file can list",
          CutoverErrors.INVALID_CONFIG);
    }
    return t.toLowerCase(Locale.ROOT);
  }

  @Override
  public List<String> sources() {
    return target.hostsFiles().stream().map(DnsHostsFile::hostName).toList();
  }

  @Override
  public List<String> writeSources() {
    return sources();
  }

  @Override
  public boolean hasTtl() {
    return false;
  }

  @Override
  public void checkServed(String source) {
    read(file(source));
  }

  @Override
  public DnsRrset answer(String source, String name, DnsRecordType type) {
    requireAddressType(type);
    return DnsRrset.of(HostsFile.values(read(file(source)).text(), name, type), null);
  }

  @Override
  public void replace(
      String source, String name, DnsRecordType type, DnsRrset current, DnsRrset wanted) {
    requireAddressType(type);
    DnsHostsFile file = file(source);
    Read read = read(file);
    String text = read.text();
    List<String> now = HostsFile.values(text, name, type);
    if (!now.equals(current.values())) {
      throw changed(
          file,
          name
              + " "
              + type
              + " now points at "
              + (now.isEmpty() ? "nothing" : String.join(", ", now)));
    }
    byte[] content =
        HostsFile.rewrite(text, name, type, wanted.values()).getBytes(StandardCharsets.UTF_8);
    ShellResult result =
        shell(file)
            .exec(
                ShellCommand.of(writeScript(file.path(), read.sha256(), sha256(content)), TIMEOUT)
                    .withSudo(file.sudo())
                    .withStdin(content));
    if (result.exitCode() == EXIT_CHANGED) {
      throw changed(file, "its content differs from what was just read");
    }
    if (result.exitCode() == EXIT_INCOMPLETE) {
      throw ApplicationFailure.newFailure(
          where()
              + " on host "
              + file.hostName()
              + ": the new text of "
              + file.path()
              + " arrived incomplete (the transfer was cut); the file was not touched and the write is retried",
          CutoverErrors.CONNECTION_LOST);
    }
    ShellFailures.check(where() + " on host " + file.hostName() + ": write " + file.path(), result);
  }

  /**
   * Stdin to the temporary file, checked against {@code newSha}; then, if the file still has {@code
   * readSha}, copied over it in place and removed. Every failure before the copy leaves the file as
   * it was, so the step can run again from the start. The copy itself ignores hang-ups: a session
   * that drops then must not stop it halfway.
   */
  private static String writeScript(String path, String readSha, String newSha) {
    return "p="
        + Sh.quote(path)
        + "\n"
        + "t="
        + Sh.quote(path + TEMP_SUFFIX)
        + "\n"
        // rm first: a leftover may be read-only or a symlink, which a redirection would follow
        + "rm -f -- \"$t\" || exit 1\n"
        + "(umask 077 && cat > \"$t\") || { rm -f -- \"$t\"; exit 1; }\n"
        + "[ \"$(sha256sum < \"$t\" | cut -c1-64)\" = "
        + Sh.quote(newSha)
        + " ] || { rm -f -- \"$t\"; echo \"$p: the new text arrived incomplete\" >&2; exit "
        + EXIT_INCOMPLETE
        + "; }\n"
        + "[ \"$(sha256sum < \"$p\" | cut -c1-64)\" = "
        + Sh.quote(readSha)
        + " ] || { rm -f -- \"$t\"; echo \"$p changed while cutover edited it\" >&2; exit "
        + EXIT_CHANGED
        + "; }\n"
        + "trap '' HUP INT PIPE TERM\n"
        + "cat -- \"$t\" > \"$p\" || exit 1\n"
        + "rm -f -- \"$t\"";
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /**
   * Whether the file can be read and written as the step will (with sudo when it says so); null
   * when it can, else why not.
   */
  String accessProblem(DnsHostsFile file) {
    String p = Sh.quote(file.path());
    ShellResult result =
        shell(file)
            .exec(
                ShellCommand.of(
                        "p="
                            + p
                            + "; if [ ! -r \"$p\" ]; then echo 'cannot read'; elif [ ! -w \"$p\" ]; then echo 'cannot write'; "
                            // the new text goes to a temporary file beside it first
                            + "elif [ ! -w \"$(dirname -- \"$p\")\" ]; then echo 'cannot create a temporary file beside'; else echo ok; fi",
                        TIMEOUT)
                    .withSudo(file.sudo()));
    if (!result.ok()) {
      return result.lastLine();
    }
    String answer = result.stdout().trim();
    return answer.equals("ok")
        ? null
        : answer
            + " "
            + file.path()
            + (file.sudo() ? " (through sudo)" : " as " + file.host().userOrDefault());
  }

  List<DnsHostsFile> files() {
    return target.hostsFiles();
  }

  /**
   * The file's text and the SHA-256 of its bytes, taken on the host (the text we get back may
   * differ in line ends).
   */
  private Read read(DnsHostsFile file) {
    String p = Sh.quote(file.path());
    ShellResult result =
        shell(file)
            .exec(
                ShellCommand.of(
                        "p="
                            + p
                            + "; cat -- \"$p\" > /dev/null || exit 1; sha256sum < \"$p\" | cut -c1-64; cat -- \"$p\"",
                        TIMEOUT)
                    .withSudo(file.sudo()));
    ShellFailures.check(where() + " on host " + file.hostName() + ": read " + file.path(), result);
    String out = result.stdout();
    int nl = out.indexOf('\n');
    return new Read(out.substring(0, nl), out.substring(nl + 1));
  }

  private record Read(String sha256, String text) {}

  private HostShell shell(DnsHostsFile file) {
    return shells.shell(file.hostName(), file.host());
  }

  private DnsHostsFile file(String source) {
    return target.hostsFiles().stream()
        .filter(f -> f.hostName().equals(source))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no hosts file for " + source));
  }

  private void requireAddressType(DnsRecordType type) {
    if (type == DnsRecordType.CNAME) {
      throw ApplicationFailure.newNonRetryableFailure(
          where()
              + ": a hosts file maps names to addresses: dns entry "
              + target.name()
              + " (hosts-file) takes A and AAAA records, not CNAME",
          CutoverErrors.INVALID_CONFIG);
    }
  }

  private ApplicationFailure changed(DnsHostsFile file, String what) {
    return ApplicationFailure.newNonRetryableFailure(
        where()
            + " on host "
            + file.hostName()
            + ": "
            + file.path()
            + " changed since it was read ("
            + what
            + "); nothing was written; read it again and decide",
        CutoverErrors.STATE_CONFLICT);
  }

  private String where() {
    return "step " + step;
  }
}
