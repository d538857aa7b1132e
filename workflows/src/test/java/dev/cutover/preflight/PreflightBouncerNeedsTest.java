package dev.cutover.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.steps.pgswitch.PgBouncerSpec;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a step that holds clients at a PgBouncer asks of preflight, and how it travels. */
class PreflightBouncerNeedsTest {
  private static final Path PLAN = Path.of("src/test/resources/preflight/every-kind.yaml");

  @Test
  void aBouncerIsCheckedOnItsHostWithItsSecretAsAReferenceAndTheHostsSudo() throws Exception {
    // given a plan whose host old runs through sudo, and a step holding clients at a bouncer there
    Plan plan = PlanLoader.load(PLAN);
    PreflightCollector needs = new PreflightCollector(plan);
    PgBouncerSpec spec =
        new PgBouncerSpec("old", null, "pgbouncer", "db", "shop", "/etc/pgbouncer/databases.ini");

    // when the step says it needs the bouncer
    needs.bouncer("switch-db", spec, null);
    PreflightRequest request = needs.request();

    // then preflight gets the bouncer with the host resolved, the secret's reference (not a value)
    // and sudo, the host's tools for the file, and the payload carries it through a round trip
    assertThat(request.bouncers())
        .containsExactly(
            new PreflightBouncer("switch-db", spec, plan.host("old"), "env:DB_PASSWORD", true));
    assertThat(request.hosts())
        .filteredOn(h -> h.name().equals("old"))
        .singleElement()
        .satisfies(h -> assertThat(h.tools()).contains("sha256sum", "base64"));
    var converter = DefaultDataConverter.STANDARD_INSTANCE;
    PreflightRequest back =
        converter.fromPayload(
            converter.toPayload(request).orElseThrow(),
            PreflightRequest.class,
            PreflightRequest.class);
    assertThat(back.bouncers()).isEqualTo(request.bouncers());
  }

  @Test
  void aRequestWithoutBouncersIsThePayloadItWasBefore() throws Exception {
    // given a request without bouncers
    PreflightRequest request = new PreflightCollector(PlanLoader.load(PLAN)).request();

    // when it becomes a payload
    String json =
        DefaultDataConverter.STANDARD_INSTANCE
            .toPayload(request)
            .orElseThrow()
            .getData()
            .toString(StandardCharsets.UTF_8);

    // then it has no bouncers field, so histories and recorded requests stay as they were
    assertThat(json).doesNotContain("bouncers");
    assertThat(request.bouncers()).isEmpty();
  }
}
