package dev.cutover.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.PlanLoader;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Preflight's request is built by asking each step's handler what its spec needs. For the example
 * plans and a plan with every kind, the request is the one recorded under preflight/ (recorded from
 * the request preflight built before the handlers were asked; run with -Dpreflight.record=true to
 * record it again after a deliberate change).
 */
class PreflightRequestTest {
  private static final Path GOLDEN = Path.of("src/test/resources/preflight");

  static Stream<Path> plans() throws Exception {
    List<Path> plans = new ArrayList<>();
    try (Stream<Path> examples = Files.list(Path.of("../examples"))) {
      examples.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(plans::add);
    }
    plans.add(GOLDEN.resolve("every-kind.yaml"));
    return plans.stream();
  }

  @ParameterizedTest
  @MethodSource("plans")
  void theRequestIsWhatTheStepsNeed(Path file) throws Exception {
    // given a plan
    Plan plan = PlanLoader.load(file);
    // when preflight works out its request
    PreflightRequest request = Preflight.request(plan);
    String json =
        DefaultDataConverter.STANDARD_INSTANCE
            .toPayload(request)
            .orElseThrow()
            .getData()
            .toString(StandardCharsets.UTF_8);
    // then it is the recorded one, and says whether preflight is needed at all
    String actual = "needed=" + Preflight.needed(plan) + "\n" + json + "\n";
    Path golden = GOLDEN.resolve(file.getFileName().toString().replace(".yaml", ".request.json"));
    if (Boolean.getBoolean("preflight.record")) {
      Files.writeString(golden, actual);
    }
    assertThat(actual).isEqualTo(Files.readString(golden));
  }
}
