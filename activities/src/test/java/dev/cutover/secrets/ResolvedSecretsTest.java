package dev.cutover.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResolvedSecretsTest {
  @BeforeEach
  @AfterEach
  void forget() {
    ResolvedSecrets.clear();
  }

  @Test
  void keepsTheNewestValuesUpToTheBound() {
    // given more distinct values resolved than the registry keeps
    for (int i = 0; i < ResolvedSecrets.MAX_VALUES + 10; i++) {
      ResolvedSecrets.record("secret-value-" + i);
    }
    // and the oldest kept one resolved again (it becomes the newest)
    ResolvedSecrets.record("secret-value-10");
    ResolvedSecrets.record("secret-value-new");

    // then it holds exactly the bound, the newest values are masked and the oldest were dropped
    SecretMask mask = ResolvedSecrets.mask();
    assertThat(ResolvedSecrets.size()).isEqualTo(ResolvedSecrets.MAX_VALUES);
    assertThat(mask.values()).hasSize(ResolvedSecrets.MAX_VALUES);
    assertThat(mask.mask("a secret-value-new b")).isEqualTo("a *** b");
    assertThat(mask.mask("x secret-value-10 y")).isEqualTo("x *** y");
    assertThat(mask.values()).doesNotContain("secret-value-0", "secret-value-9", "secret-value-11");
    assertThat(mask.values())
        .contains("secret-value-12", "secret-value-" + (ResolvedSecrets.MAX_VALUES + 9));
  }

  @Test
  void aKnownValueDoesNotRebuildTheMaskAndNothingRecordedMasksNothing() {
    // given nothing resolved, then the mask is empty
    assertThat(ResolvedSecrets.mask().isEmpty()).isTrue();

    // when a value is resolved through the resolver, twice
    SecretResolver resolver = new SecretResolver(Map.of("TOKEN", "s3cret-token"));
    resolver.resolve("env:TOKEN");
    SecretMask first = ResolvedSecrets.mask();
    resolver.resolve("env:TOKEN");

    // then it is masked, and the second resolution kept the same mask
    assertThat(first.mask("Bearer s3cret-token")).isEqualTo("Bearer ***");
    assertThat(ResolvedSecrets.mask()).isSameAs(first);
  }

  @Test
  void aReferenceThatFailsRecordsNothing() {
    new SecretResolver(Map.of()).resolveOrNull("env:MISSING");
    assertThat(ResolvedSecrets.size()).isZero();
  }
}
