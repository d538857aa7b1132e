package dev.cutover.steps.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NginxWorkersTest {
  @Test
  void aReloadCountsOnceAMasterRunsOnlyNewWorkers() {
    // given a master with two workers, and a second master nobody reloads
    NginxWorkers before = NginxWorkers.parse("M 10\nW 11 10\nW 12 10\nM 20\nW 21 20\nend\n");

    // when the reloaded master has started a new worker but one old one still takes connections
    NginxWorkers halfway =
        NginxWorkers.parse("M 10\nQ 11 10\nW 12 10\nW 13 10\nM 20\nW 21 20\nend\n");
    // and then the old ones shut down
    NginxWorkers done =
        NginxWorkers.parse("M 10\nQ 11 10\nQ 12 10\nW 13 10\nW 14 10\nM 20\nW 21 20\nend\n");

    // then only the second state counts, and the untouched master never did
    assertThat(before.anyWorkers()).isTrue();
    assertThat(before.reloadedSince(before)).isFalse();
    assertThat(halfway.reloadedSince(before)).isFalse();
    assertThat(done.reloadedSince(before)).isTrue();
  }

  @Test
  void outputThatIsNotTheScriptsIsNoSnapshot() {
    assertThat(NginxWorkers.parse("sh: 1: cannot open /proc\n")).isNull();
    assertThat(NginxWorkers.parse("end\n").anyWorkers()).isFalse();
  }
}
