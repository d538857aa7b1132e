package dev.cutover.steps.rsync;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what rsync prints with {@code --info=progress2 --stats}: the overall progress lines it
 * redraws with {@code \r} (the shell splits them into lines), the statistics at the end, and the
 * messages in between (errors and warnings), which explain a failure better than the last line.
 */
public final class RsyncOutput {
  /**
   * {@code " 1,234,567 45% 1.23MB/s 0:00:12 (xfr#12, to-chk=100/2000)"}; the part in parentheses
   * comes once a file is done.
   */
  private static final Pattern PROGRESS =
      Pattern.compile(
          "^\\s*([0-9][0-9,.']*)\\s+(\\d{1,3})%\\s+\\S+/s\\s+\\d+:\\d{2}:\\d{2}(?:\\s+\\(xfr#(\\d+),\\s*(?:to|ir)-chk=\\d+/\\d+\\))?\\s*$");

  private static final Pattern STAT =
      Pattern.compile("^(Number of [a-z ]+|Total [a-z ]+size): ([0-9][0-9,.']*)(?: bytes)?\\b.*$");

  /**
   * {@code "Number of created files: 20,411 (reg: 20,000, dir: 210, link: 101)"}: the regular ones
   * among them.
   */
  private static final Pattern CREATED_REGULAR = Pattern.compile("\\(reg: ([0-9][0-9,.']*)");

  /** How many messages a run keeps; a failing rsync may print one per file. */
  private static final int MESSAGES_KEPT = 20;

  private RsyncOutput() {}

  /**
   * The statistics a result needs.
   *
   * @param regularFilesTransferred "Number of regular files transferred"
   * @param transferredFileSize "Total transferred file size"
   * @param totalFileSize "Total file size"
   * @param createdFiles "Number of created files"
   * @param deletedFiles "Number of deleted files"
   */
  record Stats(
      long regularFilesTransferred,
      long transferredFileSize,
      long totalFileSize,
      long createdFiles,
      long deletedFiles,
      long createdRegularFiles) {
    static final Stats NONE = new Stats(0, 0, 0, 0, 0, 0);

    Stats(
        long regularFilesTransferred,
        long transferredFileSize,
        long totalFileSize,
        long createdFiles,
        long deletedFiles) {
      this(
          regularFilesTransferred,
          transferredFileSize,
          totalFileSize,
          createdFiles,
          deletedFiles,
          0);
    }

    /** Items rsync changed: a created regular file is also a transferred one, so it counts once. */
    long changedFiles() {
      return Math.max(0, createdFiles - createdRegularFiles)
          + deletedFiles
          + regularFilesTransferred;
    }
  }

  /** The progress a line reports, if it is a progress line. */
  static Optional<RsyncProgress> progress(String line) {
    Matcher m = PROGRESS.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    long files = m.group(3) == null ? -1 : Long.parseLong(m.group(3));
    return Optional.of(
        new RsyncProgress(number(m.group(1)), files, Math.min(100, Integer.parseInt(m.group(2)))));
  }

  /** rsync's "Total file size" (with {@code --stats}); -1 when the output has no statistics. */
  public static long totalFileSize(String output) {
    Stats stats = stats(output);
    return stats == null ? -1 : stats.totalFileSize();
  }

  /**
   * The statistics in rsync's output; {@code null} when it has none (rsync stopped before the end).
   */
  static Stats stats(String output) {
    Follower follower = new Follower();
    output.lines().forEach(follower::line);
    return follower.stats();
  }

  /**
   * Follows the output of a running rsync, line by line: keeps the latest progress, the statistics
   * and the first messages. Thread-safe: stdout and stderr are read by different threads.
   */
  static final class Follower {
    private RsyncProgress progress = new RsyncProgress(0, 0, 0);
    private long regularTransferred = -1;
    private long transferredSize = -1;
    private long totalSize = -1;
    private long created = -1;
    private long createdRegular;
    private long deleted = -1;
    private final List<String> messages = new ArrayList<>();
    private int messageCount;

    synchronized void line(String line) {
      if (line == null || line.isBlank()) {
        return;
      }
      Optional<RsyncProgress> p = RsyncOutput.progress(line);
      if (p.isPresent()) {
        // Between files rsync prints no xfr#: keep the count of the last line that had one.
        RsyncProgress next = p.get();
        progress =
            new RsyncProgress(
                next.bytes(), next.files() < 0 ? progress.files() : next.files(), next.percent());
        return;
      }
      Matcher m = STAT.matcher(line.strip());
      if (m.matches()) {
        long value = number(m.group(2));
        switch (m.group(1)) {
          case "Number of regular files transferred" -> regularTransferred = value;
          case "Total transferred file size" -> transferredSize = value;
          case "Total file size" -> totalSize = value;
          case "Number of created files" -> {
            created = value;
            Matcher reg = CREATED_REGULAR.matcher(line);
            createdRegular = reg.find() ? number(reg.group(1)) : 0;
          }
          case "Number of deleted files" -> deleted = value;
          default -> {}
        }
        return;
      }
      if (isSummary(line)) {
        return;
      }
      messageCount++;
      if (messages.size() < MESSAGES_KEPT) {
        messages.add(line.strip());
      }
    }

    synchronized RsyncProgress progress() {
      return progress;
    }

    /**
     * The statistics seen; {@code null} when rsync printed none, or its output was cut before their
     * end.
     */
    synchronized Stats stats() {
      if (totalSize < 0 || regularTransferred < 0 || transferredSize < 0) {
        return null;
      }
      return new Stats(
          Math.max(0, regularTransferred),
          Math.max(0, transferredSize),
          Math.max(0, totalSize),
          Math.max(0, created),
          Math.max(0, deleted),
          createdRegular);
    }

    /**
     * The first messages rsync (or ssh, or sudo) printed that are neither progress nor statistics.
     */
    synchronized List<String> messages() {
      return List.copyOf(messages);
    }

    synchronized int messageCount() {
      return messageCount;
    }
  }

  /** The lines of the statistics block that the result does not use. */
  private static boolean isSummary(String line) {
    String s = line.strip();
    return s.startsWith("Number of files:")
        || s.startsWith("Literal data:")
        || s.startsWith("Matched data:")
        || s.startsWith("File list ")
        || s.startsWith("Total bytes ")
        || s.startsWith("sent ")
        || s.startsWith("total size is ");
  }

  /**
   * A number as rsync prints it, with thousands separators ({@code 1,234,567}; {@code 1.234.567} in
   * some locales).
   */
  private static long number(String text) {
    String digits = text.replaceAll("[^0-9]", "");
    return digits.isEmpty() ? 0 : Long.parseLong(digits);
  }
}
