package dev.cutover.fleet.load;

/** What a fleet file may ask for; docs/plan.md ("Fleets") states the same figures. */
public final class FleetLimits {
  /** Services in one fleet: Application Migration Service's largest application is 200 servers. */
  public static final int MAX_SERVICES = 500;

  /** Waves in one fleet: a wave is a night's window; a hundred is more than a year of nights. */
  public static final int MAX_WAVES = 100;

  /** Services in flight at once: the most a fleet can have at all. */
  public static final int MAX_CONCURRENCY = MAX_SERVICES;

  /** A template value: an address, a name, a path; longer is a mistake or an attack. */
  public static final int MAX_VALUE_CHARS = 1000;

  /**
   * The YAML text of all member plans together (templates once per service that fills them). The
   * loaded fleet must fit into one workflow input of 1.5 MiB anyway; eight times that leaves room
   * for comments and stops a large template times 500 services from keeping the loader busy for
   * minutes.
   */
  public static final long MAX_MEMBER_TEXT_CHARS = 12L * 1024 * 1024;

  private FleetLimits() {}
}
