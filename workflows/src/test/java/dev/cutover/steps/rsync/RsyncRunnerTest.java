package dev.cutover.steps.rsync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Host;
import dev.cutover.plan.Transport;
import org.junit.jupiter.api.Test;

class RsyncRunnerTest {
  static final Host LOCAL = Host.local(null);
  static final Host SSH =
      new Host(
          Transport.SSH,
          "old.example.org",
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);

  @Test
  void betweenTwoSshHostsTheStepChooses() {
    // given two hosts reached over ssh, when asked who runs rsync, then the source pushes unless
    // the step pulls
    assertThat(RsyncRunner.onTarget(SSH, SSH, false)).isFalse();
    assertThat(RsyncRunner.onTarget(SSH, SSH, true)).isTrue();
  }

  @Test
  void withOneSshHostTheWorkersMachineRunsItWhateverTheStepSays() {
    // given one host over ssh and the other the worker's own machine, when asked, then the local
    // one runs rsync
    assertThat(RsyncRunner.onTarget(SSH, LOCAL, false)).isTrue();
    assertThat(RsyncRunner.onTarget(SSH, LOCAL, true)).isTrue();
    assertThat(RsyncRunner.onTarget(LOCAL, SSH, false)).isFalse();
    assertThat(RsyncRunner.onTarget(LOCAL, SSH, true)).isFalse();
  }

  @Test
  void withNoSshHostTheSourceCopiesLocally() {
    // given two local hosts (or unknown ones), when asked, then the source runs the one local copy
    assertThat(RsyncRunner.onTarget(LOCAL, LOCAL, true)).isFalse();
    assertThat(RsyncRunner.onTarget(null, null, true)).isFalse();
  }
}
