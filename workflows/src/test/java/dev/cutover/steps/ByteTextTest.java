package dev.cutover.steps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteTextTest {
  @Test
  void bytesBelowOneKibibyteAreWhole() {
    // given sizes under 1024, when formatted, then they stay in bytes
    assertThat(ByteText.of(0)).isEqualTo("0 B");
    assertThat(ByteText.of(1023)).isEqualTo("1023 B");
  }

  @Test
  void largerSizesTakeTheLargestUnitBelowThemWithOneDecimal() {
    // given sizes at and between the unit boundaries, when formatted, then one decimal of the right
    // unit
    assertThat(ByteText.of(1024)).isEqualTo("1.0 KiB");
    assertThat(ByteText.of(1536)).isEqualTo("1.5 KiB");
    assertThat(ByteText.of(8L * 1024 * 1024)).isEqualTo("8.0 MiB");
    assertThat(ByteText.of(3L * 1024 * 1024 * 1024 / 2)).isEqualTo("1.5 GiB");
    assertThat(ByteText.of(2L << 40)).isEqualTo("2.0 TiB");
  }

  @Test
  void tebibytesAreTheLargestUnit() {
    // given a size of 2048 TiB, when formatted, then it is still counted in TiB
    assertThat(ByteText.of(2048L << 40)).isEqualTo("2048.0 TiB");
  }
}
