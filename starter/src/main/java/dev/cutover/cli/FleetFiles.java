package dev.cutover.cli;

import dev.cutover.fleet.Fleet;
import dev.cutover.fleet.FleetNames;
import dev.cutover.fleet.load.FleetLoader;
import dev.cutover.plan.load.InvalidPlanException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a fleet file for a command; a bad fleet (or a bad member plan or template) ends the command
 * with exit code 2, every problem listed, and nothing started.
 */
final class FleetFiles {
  private FleetFiles() {}

  static Fleet load(Path file, PrintWriter err) {
    try {
      return FleetLoader.load(file);
    } catch (InvalidPlanException e) {
      throw PlanFiles.refused(file, e, err);
    }
  }

  /**
   * The workflow ids an operator's ID may mean, most likely first: operators know a fleet by its
   * name, and cutover starts it as {@code fleet-NAME}; a fleet may itself be named {@code fleet-x}.
   */
  static List<String> candidateIds(String id) {
    return id.startsWith("fleet-")
        ? List.of(id, FleetNames.fleetWorkflowId(id))
        : List.of(FleetNames.fleetWorkflowId(id), id);
  }
}
