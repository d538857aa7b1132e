package dev.cutover.fleet;

import java.util.List;

/**
 * The fleet's query answer, bounded by the fleet file's size (services and waves are the file's).
 *
 * @param state {@code running}, {@code held}, {@code aborting} (members in flight are rolling
 *     back), {@code completed}, {@code aborted} or {@code failed} (a service did not complete)
 * @param waitingFor what the fleet itself waits for ({@code gate:NAME}), or empty
 * @param notes the last notes (refused messages, holds), at most {@link #MAX_NOTES}
 */
public record FleetStatus(
    String fleet,
    String description,
    String state,
    String waitingFor,
    List<FleetWaveStatus> waves,
    List<FleetServiceStatus> services,
    List<String> notes) {
  public static final int MAX_NOTES = 50;
}
