package dev.cutover.steps.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Name matching as browsers do it. */
class CertificateNamesTest {
  @Test
  void aWildcardStandsForExactlyOneLeftmostLabel() {
    assertThat(CertificateNames.matches("*.cutover.test", "www.cutover.test")).isTrue();
    assertThat(CertificateNames.matches("*.cutover.test", "WWW.Cutover.Test.")).isTrue();
    assertThat(CertificateNames.matches("*.cutover.test", "cutover.test")).isFalse();
    assertThat(CertificateNames.matches("*.cutover.test", "a.b.cutover.test")).isFalse();
    assertThat(CertificateNames.matches("*.test", "cutover.test")).isFalse();
  }

  @Test
  void anExactNameMatchesOnlyItself() {
    assertThat(CertificateNames.matches("www.cutover.test", "www.cutover.test")).isTrue();
    assertThat(CertificateNames.matches("www.cutover.test", "api.cutover.test")).isFalse();
  }
}
