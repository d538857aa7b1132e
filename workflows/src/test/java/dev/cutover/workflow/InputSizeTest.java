package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.InputSize;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.Test;

/**
 * The loader measures a plan as the workflow's input without importing the engine's record: the two
 * must agree.
 */
class InputSizeTest {
  @Test
  void theLoadersMeasureIsTheSizeOfTheInputCutoverStartSends() {
    // given a plan
    Plan plan =
        Plans.parse(
            """
        migration: sized
        hosts: {old: {transport: local}}
        phases:
          prepare:
            steps:
              - {name: a, kind: run, host: old, command: "echo ok", env: {A: b}}
              - {name: b, kind: wait, duration: 1m}
        """);
    // when it is measured by the loader and as the real input
    long real =
        DefaultDataConverter.STANDARD_INSTANCE
            .toPayloads(MigrationInput.of(plan))
            .map(Payloads::getSerializedSize)
            .orElse(0);
    // then both are the same
    assertThat(InputSize.of(plan)).isEqualTo(real).isPositive();
  }
}
