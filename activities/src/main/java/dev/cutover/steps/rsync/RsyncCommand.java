package dev.cutover.steps.rsync;

import dev.cutover.hosts.Sh;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The rsync command line of one transfer, as a {@code /bin/sh} script for the host that runs it.
 * Pure: it builds text and runs nothing, so every quoting rule can be checked in a unit test.
 *
 * <p>Three levels of quoting meet here, each done by the level that reads it:
 *
 * <ul>
 *   <li>every argument is one shell word ({@link Sh#quote}) for the {@code sh} that runs the
 *       script;
 *   <li>the words of the {@code -e} ssh command are split by rsync itself, which knows single and
 *       double quotes and nothing else ({@link #rsyncQuote});
 *   <li>the paths never reach the other host's shell: {@code -s} (protect args) sends them inside
 *       rsync's protocol, so a path with spaces or quotes arrives as it is, on old rsync versions
 *       too.
 * </ul>
 */
public final class RsyncCommand {
  /** Where rsync keeps half-sent files in each directory, so they never look like real files. */
  public static final String PARTIAL_DIR = ".rsync-partial";

  /**
   * The far end of a transfer over ssh, as the host that runs rsync reaches it.
   *
   * @param user the login user on the far host
   * @param address its address, name or IP (an IPv6 address is bracketed in the spec)
   * @param port its ssh port
   * @param identity private key file on the running host for this connection; {@code null} for the
   *     running user's own keys
   * @param sudo whether rsync on the far host runs through {@code sudo -n}
   * @param jump a host to connect through ({@code ProxyCommand ssh -W}); {@code null} for none
   */
  public record Remote(
      String user, String address, int port, String identity, boolean sudo, Remote jump) {
    public Remote {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(address, "address");
    }

    String login() {
      return user + "@" + (address.contains(":") ? "[" + address + "]" : address);
    }
  }

  private final String sourcePath;
  private final String targetPath;

  /** The far end; {@code null} for a copy on one machine. */
  private final Remote remote;

  /** Whether the far end is the source (the running host pulls) rather than the target. */
  private final boolean remoteIsSource;

  private final String knownHostsFile;
  private final String sshProgram;
  private final boolean delete;
  private final List<String> excludes;
  private final boolean partial;
  private final Integer bandwidthLimitKib;

  private RsyncCommand(
      String sourcePath,
      String targetPath,
      Remote remote,
      boolean remoteIsSource,
      String knownHostsFile,
      String sshProgram,
      boolean delete,
      List<String> excludes,
      boolean partial,
      Integer bandwidthLimitKib) {
    this.sourcePath = Objects.requireNonNull(sourcePath, "sourcePath");
    this.targetPath = Objects.requireNonNull(targetPath, "targetPath");
    this.remote = remote;
    this.remoteIsSource = remoteIsSource;
    this.knownHostsFile = knownHostsFile;
    this.sshProgram = sshProgram;
    this.delete = delete;
    this.excludes = List.copyOf(excludes);
    this.partial = partial;
    this.bandwidthLimitKib = bandwidthLimitKib;
  }

  /** Both directories on the machine that runs rsync. */
  public static RsyncCommand local(String sourcePath, String targetPath) {
    return new RsyncCommand(
        sourcePath, targetPath, null, false, null, "ssh", false, List.of(), false, null);
  }

  /** The running host sends its {@code sourcePath} to {@code targetPath} on {@code to}. */
  public static RsyncCommand push(String sourcePath, Remote to, String targetPath) {
    return new RsyncCommand(
        sourcePath,
        targetPath,
        Objects.requireNonNull(to, "to"),
        false,
        null,
        "ssh",
        false,
        List.of(),
        false,
        null);
  }

  /** The running host fetches {@code sourcePath} from {@code from} into its {@code targetPath}. */
  public static RsyncCommand pull(Remote from, String sourcePath, String targetPath) {
    return new RsyncCommand(
        sourcePath,
        targetPath,
        Objects.requireNonNull(from, "from"),
        true,
        null,
        "ssh",
        false,
        List.of(),
        false,
        null);
  }

  public RsyncCommand delete(boolean value) {
    return new RsyncCommand(
        sourcePath,
        targetPath,
        remote,
        remoteIsSource,
        knownHostsFile,
        sshProgram,
        value,
        excludes,
        partial,
        bandwidthLimitKib);
  }

  public RsyncCommand excludes(List<String> value) {
    return new RsyncCommand(
        sourcePath,
        targetPath,
        remote,
        remoteIsSource,
        knownHostsFile,
        sshProgram,
        delete,
        value == null ? List.of() : value,
        partial,
        bandwidthLimitKib);
  }

  public RsyncCommand partial(boolean value) {
    return new RsyncCommand(
        sourcePath,
        targetPath,
        remote,
        remoteIsSource,
        knownHostsFile,
        sshProgram,
        delete,
        excludes,
        value,
        bandwidthLimitKib);
  }

  /**
   * @param kib KiB per second; {@code null} for no limit
   */
  public RsyncCommand bandwidthLimit(Integer kib) {
    return new RsyncCommand(
        sourcePath,
        targetPath,
        remote,
        remoteIsSource,
        knownHostsFile,
        sshProgram,
        delete,
        excludes,
        partial,
        kib);
  }

  /**
   * The known_hosts file on the running host that holds the far host's key (and its jump host's).
   */
  public RsyncCommand knownHostsFile(String path) {
    return new RsyncCommand(
        sourcePath,
        targetPath,
        remote,
        remoteIsSource,
        path,
        sshProgram,
        delete,
        excludes,
        partial,
        bandwidthLimitKib);
  }

  /** The ssh client to run; {@code ssh} from the PATH unless a test puts a stand-in there. */
  public RsyncCommand sshProgram(String program) {
    return new RsyncCommand(
        sourcePath,
        targetPath,
        remote,
        remoteIsSource,
        knownHostsFile,
        program,
        delete,
        excludes,
        partial,
        bandwidthLimitKib);
  }

  /** The arguments, program first, exactly as rsync receives them. */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    args.add("rsync");
    args.add("-a");
    if (remote != null) {
      args.add("-s");
    }
    if (delete) {
      args.add("--delete");
    }
    args.addAll(filterArguments());
    if (bandwidthLimitKib != null) {
      args.add("--bwlimit=" + bandwidthLimitKib);
    }
    args.add("--info=progress2");
    args.add("--no-inc-recursive");
    args.add("--stats");
    if (remote != null) {
      if (remote.sudo()) {
        args.add("--rsync-path=sudo -n rsync");
      }
      args.add("-e");
      args.add(sshCommand());
    }
    args.add("--");
    if (remote == null) {
      args.add(localSpec(sourcePath));
      args.add(localSpec(targetPath));
    } else if (remoteIsSource) {
      args.add(remote.login() + ":" + directory(sourcePath));
      args.add(localSpec(targetPath));
    } else {
      args.add(localSpec(sourcePath));
      args.add(remote.login() + ":" + directory(targetPath));
    }
    return args;
  }

  /** What decides which files the transfer takes: the same for the copy and for its size. */
  private List<String> filterArguments() {
    List<String> args = new ArrayList<>();
    for (String exclude : excludes) {
      args.add("--exclude=" + exclude);
    }
    if (partial) {
      // rsync adds this exclude itself for a relative partial dir; said explicitly, so --delete
      // never removes a half-sent file a retry would resume from, whatever the rsync version.
      args.add("--partial-dir=" + PARTIAL_DIR);
      args.add("--exclude=" + PARTIAL_DIR + "/");
    }
    return args;
  }

  /**
   * A script for the host that holds the source: a dry run that reads the source as this transfer
   * reads it, with the same excludes, and prints rsync's statistics, whose "Total file size" is
   * what the transfer copies ({@link RsyncOutput#totalFileSize}). It copies nothing, and its target
   * is a path that does not exist, so every file counts.
   */
  public String sizeScript() {
    List<String> args = new ArrayList<>(List.of("rsync", "-a", "--dry-run", "--stats"));
    args.addAll(filterArguments());
    args.add("--");
    args.add(localSpec(sourcePath));
    args.add(NOWHERE);
    return args.stream().map(Sh::quote).collect(Collectors.joining(" "));
  }

  /** The target of {@link #sizeScript}'s dry run: never created, as a dry run creates nothing. */
  static final String NOWHERE = "/nonexistent/cutover-size-dry-run/";

  /** The script for {@code /bin/sh}: every argument one quoted word. */
  public String script() {
    return arguments().stream().map(Sh::quote).collect(Collectors.joining(" "));
  }

  /**
   * The remote shell command rsync runs ({@code -e}): the far host's key is checked against the
   * known_hosts file only (no prompt, no trust on first use, no other file), with keepalives so a
   * dead link ends the transfer instead of hanging it.
   */
  public String sshCommand() {
    return sshArgv().stream().map(RsyncCommand::rsyncQuote).collect(Collectors.joining(" "));
  }

  /**
   * A shell script that logs in to the other host exactly as rsync's remote shell will and runs
   * {@code true}: preflight tries the hop with it before anything changes.
   */
  public String sshCheckScript() {
    List<String> words = sshArgv();
    words.addAll(List.of("-l", remote.user(), "--", remote.address(), "true"));
    return words.stream().map(Sh::quote).collect(Collectors.joining(" "));
  }

  private List<String> sshArgv() {
    if (remote == null) {
      throw new IllegalStateException("a local copy has no ssh command");
    }
    if (knownHostsFile == null) {
      throw new IllegalStateException(
          "an ssh transfer needs the known_hosts file that holds the other host's key");
    }
    List<String> words = sshWords(remote);
    if (remote.jump() != null) {
      List<String> proxy = sshWords(remote.jump());
      proxy.add("-l");
      proxy.add(remote.jump().user());
      proxy.add("-W");
      proxy.add("%h:%p");
      proxy.add(remote.jump().address());
      // ssh runs the ProxyCommand through the user's shell: shell words inside one ssh option.
      words.add("-o");
      words.add("ProxyCommand=" + proxy.stream().map(Sh::quote).collect(Collectors.joining(" ")));
    }
    return words;
  }

  private List<String> sshWords(Remote to) {
    List<String> words =
        new ArrayList<>(
            List.of(
                sshProgram,
                "-p",
                Integer.toString(to.port()),
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + knownHostsFile,
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "ConnectTimeout=30",
                "-o",
                "ServerAliveInterval=15",
                "-o",
                "ServerAliveCountMax=4"));
    if (to.identity() != null) {
      words.addAll(List.of("-i", to.identity(), "-o", "IdentitiesOnly=yes"));
    }
    return words;
  }

  /**
   * One word as rsync splits its {@code -e} command: on spaces, with single or double quotes around
   * a word and a doubled quote inside for the quote itself (rsync knows no backslashes there).
   */
  static String rsyncQuote(String word) {
    if (!word.isEmpty()
        && word.chars()
            .allMatch(c -> Character.isLetterOrDigit(c) || "@%_+=:,./-".indexOf(c) >= 0)) {
      return word;
    }
    return "'" + word.replace("'", "''") + "'";
  }

  /** A directory as rsync's "its contents" form: with a trailing slash. */
  static String directory(String path) {
    return path.endsWith("/") ? path : path + "/";
  }

  /**
   * A local path that rsync cannot take for {@code host:path}: a relative one gets {@code ./} in
   * front.
   */
  static String localSpec(String path) {
    String dir = directory(path);
    return dir.startsWith("/") || dir.startsWith("./") ? dir : "./" + dir;
  }
}
