package dev.cutover.fleet;

import java.util.List;

/**
 * A fleet as loaded and validated: services (each a plan, its shared gates already added) in waves.
 * The workflow input; the fleet file's own shape is in docs/plan.md ("Fleets").
 *
 * @param fleet the fleet's name; its workflow id is {@code fleet-NAME}
 * @param concurrency the most services in flight at once
 * @param onFailure what a service blocked on a failure does to the rest of its wave
 * @param waves in order: a wave starts when the one before it has ended
 * @param services every service, in file order
 */
public record Fleet(
    String fleet,
    String description,
    int concurrency,
    FleetFailurePolicy onFailure,
    List<FleetWave> waves,
    List<FleetService> services) {

  /**
   * Services in flight at once when the file says nothing: a night's worth, not a data centre's.
   */
  public static final int DEFAULT_CONCURRENCY = 10;

  public Fleet {
    waves = waves == null ? List.of() : List.copyOf(waves);
    services = services == null ? List.of() : List.copyOf(services);
    onFailure = onFailure == null ? FleetFailurePolicy.HOLD : onFailure;
  }

  public FleetService service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }
}
