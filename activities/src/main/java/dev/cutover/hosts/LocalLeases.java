package dev.cutover.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The leases of {@link LeaseScript}, kept by the worker itself for the scripts it starts on its own
 * machine ({@link LocalShell}'s direct launch): the same directory, file names and contents, so a
 * lease written here is stopped by the wrapper of a later attempt and the other way round. The
 * worker reads {@code /proc} and writes a file where the wrapper would fork a dozen processes per
 * step.
 *
 * <p>Only the common case is handled here: nothing of an earlier attempt of the same activity is
 * alive. When something is, or the directory cannot be used, {@link #open} or {@link
 * #earlierAttemptAlive} says so and the script goes through the wrapper, which stops what is left
 * (or warns that it runs without a lease) exactly as over SSH.
 */
final class LocalLeases {
  private static final Pattern LEASE = Pattern.compile("([0-9a-f]{32})\\.([0-9]+)\\.([0-9]+)");

  /** A lease file's contents are two short words; anything longer is not a lease. */
  private static final int MAX_LEASE_BYTES = 200;

  private final Path root;
  private final String bootId;

  private LocalLeases(Path root, String bootId) {
    this.root = root;
    this.bootId = bootId;
  }

  /**
   * The lease directory by {@link LeaseScript}'s rule (the user's own home's {@code .cutover/run},
   * else root's {@code /run/cutover/leases}), made if missing; {@code null} when there is none to
   * use or no {@code /proc}.
   *
   * @param leaseRoot the directory to use instead, or {@code null}; for tests
   */
  static LocalLeases open(String leaseRoot) {
    try {
      if (!Files.isReadable(Path.of("/proc/self/stat"))) {
        return null;
      }
      Path root = leaseRoot != null ? Path.of(leaseRoot) : defaultRoot();
      if (root == null) {
        return null;
      }
      if (!Files.isDirectory(root)) {
        Files.createDirectories(
            root,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      if (!Files.isWritable(root)) {
        return null;
      }
      String boot = "-";
      try {
        boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
      } catch (IOException | RuntimeException noBootId) {
        // as the wrapper: "-" matches only leases written without one either
      }
      return new LocalLeases(root, boot.isEmpty() ? "-" : boot);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Path defaultRoot() throws IOException {
    int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    String home = System.getenv("HOME");
    if (home != null && !home.isEmpty()) {
      Path dir = Path.of(home);
      // "$HOME/." in the wrapper: the owner of the directory a symlink leads to.
      if (Files.isDirectory(dir) && (Integer) Files.getAttribute(dir, "unix:uid") == uid) {
        return dir.resolve(".cutover").resolve("run");
      }
    }
    return uid == 0 ? Path.of("/run/cutover/leases") : null;
  }

  /**
   * Removes every lease whose group is gone (another boot, or the pid now another process's), and
   * says whether a lease of an earlier attempt of {@code attempt}'s activity is still alive.
   */
  boolean earlierAttemptAlive(ActivityAttempt attempt) {
    boolean alive = false;
    try (DirectoryStream<Path> leases = Files.newDirectoryStream(root)) {
      for (Path lease : leases) {
        Matcher name = LEASE.matcher(lease.getFileName().toString());
        if (!name.matches() || Long.parseLong(name.group(3)) <= 1) {
          continue;
        }
        String[] words = read(lease);
        if (words == null) {
          continue;
        }
        if (!words[1].equals(bootId)
            || !words[0].equals(startTime(Long.parseLong(name.group(3))))) {
          Files.deleteIfExists(lease);
        } else if (name.group(1).equals(attempt.key())
            && Long.parseLong(name.group(2)) < attempt.attempt()) {
          alive = true;
        }
      }
    } catch (IOException | RuntimeException e) {
      return true; // cannot tell: the wrapper looks again and stops what it finds
    }
    return alive;
  }

  /**
   * Writes the lease of the group {@code pgid} run for {@code attempt}; {@code null} when its
   * leader is already gone or the file cannot be written.
   */
  Path record(ActivityAttempt attempt, long pgid) {
    String start = startTime(pgid);
    if (start == null) {
      return null;
    }
    Path lease = root.resolve(attempt.key() + "." + attempt.attempt() + "." + pgid);
    try {
      Files.deleteIfExists(lease);
      Files.writeString(
          Files.createFile(
              lease,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
          start + " " + bootId + "\n",
          StandardOpenOption.WRITE);
      return lease;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Removes a lease once its script ended. */
  static void release(Path lease) {
    if (lease == null) {
      return;
    }
    try {
      Files.deleteIfExists(lease);
    } catch (IOException e) {
      // a lease left behind is removed by the next scan: its group is gone
    }
  }

  /** Field 22 of {@code /proc/PID/stat}, the process's start time; {@code null} when it is gone. */
  static String startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
      int end = stat.lastIndexOf(") ");
      if (end < 0) {
        return null;
      }
      String[] fields = stat.substring(end + 2).trim().split(" ");
      return fields.length >= 20 ? fields[19] : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String[] read(Path lease) {
    try {
      if (Files.size(lease) > MAX_LEASE_BYTES) {
        return null;
      }
      String[] words = Files.readString(lease, StandardCharsets.UTF_8).trim().split("\\s+");
      return words.length == 2 && words[0].matches("[0-9]+") ? words : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
