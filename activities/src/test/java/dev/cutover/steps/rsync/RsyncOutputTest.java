package dev.cutover.steps.rsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The output parser, on output captured from rsync 3.5.0 (progress redraws split at \r, as the
 * shells do).
 */
class RsyncOutputTest {
  /**
   * {@code rsync -a --delete --info=progress2 --no-inc-recursive --stats s7/ d7/}: 3 files created,
   * 2 deleted.
   */
  static final String WITH_DELETES =
      """

                    2  33%    0.00kB/s    0:00:00
                    2  33%    0.00kB/s    0:00:00 (xfr#1, to-chk=2/5)
                    4  66%    1.95kB/s    0:00:00 (xfr#2, to-chk=1/5)
                    6 100%    3.91kB/s    0:00:00 (xfr#3, to-chk=0/5)
                    6 100%    3.91kB/s    0:00:00 (xfr#3, to-chk=0/5)

      Number of files: 5 (reg: 3, dir: 2)
      Number of created files: 4 (reg: 3, dir: 1)
      Number of deleted files: 2 (reg: 2)
      Number of regular files transferred: 3
      Total file size: 6 bytes
      Total transferred file size: 6 bytes
      Literal data: 6 bytes
      Matched data: 0 bytes
      File list size: 0
      File list generation time: 0.001 seconds
      File list transfer time: 0.000 seconds
      Total bytes sent: 246
      Total bytes received: 97

      sent 246 bytes  received 97 bytes  686.00 bytes/sec
      total size is 6  speedup is 0.02
      """;

  /** A 3 MB file and 21 small ones, with thousands separators. */
  static final String LARGE =
      """
               32,768   1%    0.00kB/s    0:00:00
            3,000,000  99%  353.72MB/s    0:00:00 (xfr#1, to-chk=23/25)
            3,000,153  99%  314.44MB/s    0:00:00 (xfr#22, to-chk=0/25)

      Number of files: 25 (reg: 22, dir: 2, link: 1)
      Number of created files: 24 (reg: 22, dir: 1, link: 1)
      Number of deleted files: 0
      Number of regular files transferred: 22
      Total file size: 3,000,155 bytes
      Total transferred file size: 3,000,153 bytes
      Literal data: 3,000,153 bytes
      Matched data: 0 bytes
      File list size: 0
      File list generation time: 0.001 seconds
      File list transfer time: 0.000 seconds
      Total bytes sent: 3,002,232
      Total bytes received: 443

      sent 3,002,232 bytes  received 443 bytes  6,005,350.00 bytes/sec
      total size is 3,000,155  speedup is 1.00
      """;

  /** A source directory that does not exist: code 23, the cause on the first line. */
  static final String MISSING_SOURCE =
      """
      rsync: [sender] change_dir "/nonexist" failed: No such file or directory (2)

                    0   0%    0.00kB/s    0:00:00 (xfr#0, to-chk=0/5)

      Number of files: 5 (reg: 3, dir: 2)
      Number of created files: 0
      Number of deleted files: 0
      Number of regular files transferred: 0
      Total file size: 6 bytes
      Total transferred file size: 0 bytes
      sent 108 bytes  received 12 bytes  240.00 bytes/sec
      total size is 6  speedup is 0.05
      rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]
      """;

  @Test
  void progressLineWithTransferCount() {
    assertThat(
            RsyncOutput.progress(
                "      1,234,567  45%    1.23MB/s    0:00:12 (xfr#12, to-chk=100/2000)"))
        .contains(new RsyncProgress(1_234_567, 12, 45));
  }

  @Test
  void progressLineBeforeTheFirstFileIsDoneHasNoCount() {
    assertThat(RsyncOutput.progress("         32,768   1%    0.00kB/s    0:00:00  "))
        .contains(new RsyncProgress(32_768, -1, 1));
  }

  @Test
  void incrementalRecursionCountIsReadToo() {
    assertThat(RsyncOutput.progress("  9,876  7%  1.00kB/s  1:02:03 (xfr#3, ir-chk=1000/1500)"))
        .contains(new RsyncProgress(9_876, 3, 7));
  }

  @Test
  void otherLinesAreNotProgress() {
    assertThat(RsyncOutput.progress("Number of files: 5 (reg: 3, dir: 2)")).isEmpty();
    assertThat(RsyncOutput.progress("rsync error: some files/attrs were not transferred (code 23)"))
        .isEmpty();
    assertThat(RsyncOutput.progress("")).isEmpty();
  }

  @Test
  void statisticsOfARunWithDeletes() {
    RsyncOutput.Stats stats = RsyncOutput.stats(WITH_DELETES);

    assertThat(stats).isEqualTo(new RsyncOutput.Stats(3, 6, 6, 4, 2, 3));
    // the 3 created files are the 3 sent: they count once, with the created dir and the 2 deleted
    assertThat(stats.changedFiles()).isEqualTo(6);
  }

  @Test
  void statisticsWithThousandsSeparators() {
    RsyncOutput.Stats stats = RsyncOutput.stats(LARGE);

    assertThat(stats).isEqualTo(new RsyncOutput.Stats(22, 3_000_153, 3_000_155, 24, 0, 22));
  }

  @Test
  void outputCutInsideTheStatisticsHasNone() {
    // the shell keeps the first megabyte of stdout: a cut there must not pass for a run that sent
    // nothing
    String cut = LARGE.substring(0, LARGE.indexOf("Total file size"));

    assertThat(RsyncOutput.stats(cut)).isNull();
  }

  @Test
  void outputWithoutStatisticsHasNone() {
    assertThat(
            RsyncOutput.stats(
                "rsync: connection unexpectedly closed (0 bytes received so far) [sender]\n"))
        .isNull();
  }

  @Test
  void followerKeepsTheLatestProgressWithTheLastFileCountAndTheMessages() {
    // given the lines of a failing run, as the shell hands them over one by one
    RsyncOutput.Follower follower = new RsyncOutput.Follower();

    // when they are read
    MISSING_SOURCE.lines().forEach(follower::line);

    // then the message that explains the failure is kept, progress and statistics are not messages
    assertThat(follower.messages())
        .containsExactly(
            "rsync: [sender] change_dir \"/nonexist\" failed: No such file or directory (2)",
            "rsync error: some files/attrs were not transferred (see previous errors) (code 23) at main.c(1394) [sender=3.5.0]");
    assertThat(follower.progress()).isEqualTo(new RsyncProgress(0, 0, 0));
    assertThat(follower.stats()).isEqualTo(new RsyncOutput.Stats(0, 0, 6, 0, 0));
  }

  @Test
  void followerKeepsTheFileCountBetweenFiles() {
    RsyncOutput.Follower follower = new RsyncOutput.Follower();

    follower.line("      1,000  10%    1.00kB/s    0:00:01 (xfr#4, to-chk=6/10)");
    follower.line("      2,000  20%    1.00kB/s    0:00:02");

    assertThat(follower.progress()).isEqualTo(new RsyncProgress(2_000, 4, 20));
  }

  @Test
  void followerKeepsOnlyTheFirstMessages() {
    RsyncOutput.Follower follower = new RsyncOutput.Follower();

    for (int i = 0; i < 1000; i++) {
      follower.line(
          "rsync: [sender] send_files failed to open \"/srv/f" + i + "\": Permission denied (13)");
    }

    List<String> messages = follower.messages();
    assertThat(messages).hasSize(20);
    assertThat(messages.get(0)).contains("/srv/f0\"");
    assertThat(follower.messageCount()).isEqualTo(1000);
  }
}
