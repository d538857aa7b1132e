package dev.cutover.fleet;

/**
 * Names of the fleet workflow, its ids and its messages; the operator's messages are a migration's.
 */
public final class FleetNames {
  private FleetNames() {}

  public static final String WORKFLOW_TYPE = "Fleet";

  /** A member tells its fleet what it waits for, so the fleet opens shared gates and holds. */
  public static final String SIGNAL_MEMBER_EVENT = "memberEvent";

  public static String fleetWorkflowId(String fleet) {
    return "fleet-" + fleet;
  }

  public static String memberWorkflowId(String migration) {
    return "cutover-" + migration;
  }
}
