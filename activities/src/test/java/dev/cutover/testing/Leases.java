package dev.cutover.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.ActivityAttempt;
import dev.cutover.hosts.Sh;
import dev.cutover.hosts.ShellResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The lease files scripts leave on a host (this machine, for the test servers) while they run. */
public final class Leases {
  private Leases() {}

  /** The lease files of one activity in {@code root}, any attempt: {@code KEY.ATTEMPT.PGID}. */
  public static List<Path> of(Path root, ActivityAttempt activity) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(root)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith(activity.key() + "."))
          .sorted()
          .toList();
    }
  }

  /** Waits until the activity has a lease for {@code attempt} and returns its process group. */
  public static long awaitGroup(Path root, ActivityAttempt activity) throws Exception {
    String prefix = activity.key() + "." + activity.attempt() + ".";
    for (int i = 0; i < 200; i++) {
      for (Path lease : of(root, activity)) {
        String name = lease.getFileName().toString();
        if (name.startsWith(prefix)) {
          return Long.parseLong(name.substring(prefix.length()));
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no lease of attempt " + activity.attempt() + " appeared in " + root);
  }

  /**
   * A script that lists {@code root} once the attempt's lease is in it (10 s at most). The wrapper
   * writes the lease right after it started the script, so the script's first command can run a few
   * milliseconds before the lease exists; a plain {@code ls} would see it only when the machine is
   * idle.
   */
  public static String listOnceLeased(Path root, ActivityAttempt attempt) {
    String dir = Sh.quote(root.toString());
    String lease = Sh.quote(attempt.key() + "." + attempt.attempt() + ".");
    return "i=0; until ls "
        + dir
        + " 2>/dev/null | grep -q -F -- "
        + lease
        + " || [ $i -ge 200 ]; do sleep 0.05; i=$((i + 1)); done; ls "
        + dir;
  }

  /** Waits until the activity has no lease left in {@code root}; returns whether that happened. */
  public static boolean goneSoon(Path root, ActivityAttempt activity) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (of(root, activity).isEmpty()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }

  /**
   * Writes a lease by hand, as a wrapper would, naming {@code pgid} with the given leader start
   * time.
   */
  public static Path write(Path root, ActivityAttempt activity, long pgid, String startTime)
      throws IOException {
    Files.createDirectories(root);
    return Files.writeString(
        root.resolve(activity.key() + "." + activity.attempt() + "." + pgid),
        startTime + " " + bootId() + "\n");
  }

  /** The start time of a live process, field 22 of /proc/PID/stat, in clock ticks since boot. */
  public static String startTime(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
  }

  public static String bootId() throws IOException {
    return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
  }

  /** The lines of a file a ticking script appends to, empty before it exists. */
  public static List<String> lines(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  /** A script that appends "tick" to {@code file} every 100 ms until it is killed. */
  public static String ticking(Path file) {
    return "while :; do echo tick >> " + Sh.quote(file.toString()) + "; sleep 0.1; done";
  }

  /** Waits until a ticking script wrote at least {@code count} ticks. */
  public static void awaitTicks(Path file, int count) throws Exception {
    for (int i = 0; i < 200 && lines(file).size() < count; i++) {
      Thread.sleep(50);
    }
    if (lines(file).size() < count) {
      throw new AssertionError("fewer than " + count + " ticks in " + file);
    }
  }

  /**
   * What a retry must show, on either transport, after the worker of attempt 1 died with a ticking
   * script running: that group was gone before attempt 2's script (which appends "attempt-2" to the
   * same file, then prints "done") started, and attempt 2 said what it stopped, in its output and
   * to its watch.
   */
  public static void assertRetryStoppedItFirst(
      Path ticks, long group, ShellResult second, List<String> watched, String host)
      throws IOException {
    List<String> lines = lines(ticks);
    assertThat(lines).contains("attempt-2");
    assertThat(lines.subList(lines.indexOf("attempt-2") + 1, lines.size()))
        .as("ticks after attempt 2 started")
        .isEmpty();
    assertThat(ProcessCheck.isRunning(group)).isFalse();
    assertThat(second.exitCode()).isZero();
    assertThat(second.stdout()).isEqualTo("done\n");
    String said =
        "stopped what attempt 1 left running on host " + host + ": process group " + group;
    // The tail merges stderr (the wrapper's line) and stdout ("done") as two threads read them, so
    // their order there is a race; the ticks above prove the stop came first.
    assertThat(second.outputTail().lines())
        .contains("done")
        .anySatisfy(line -> assertThat(line).startsWith(said));
    assertThat(watched).anySatisfy(line -> assertThat(line).startsWith(said));
  }
}
