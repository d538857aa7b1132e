package dev.cutover.fleet.load;

import dev.cutover.fleet.FleetFailurePolicy;
import dev.cutover.plan.Doc;
import dev.cutover.plan.Required;
import java.util.List;
import java.util.Map;

/** A fleet file as written, before its plans are loaded; docs/plan.md ("Fleets") describes it. */
@Doc("A fleet: services moved in waves, with shared gates.")
public record FleetFile(
    @Required
        @Doc(
            "Name of the fleet: lower case letters, digits and hyphens; the workflow id is fleet-NAME.")
        String fleet,
    @Doc("Free text shown in status and reports.") String description,
    @Doc("The most services in flight at once, 1 to 500; default 10.") Integer concurrency,
    @Doc("What a service blocked on a failure does to the rest: hold (default) or continue.")
        FleetFailurePolicy onFailure,
    @Doc("Plan templates by name: a path relative to the fleet file.")
        Map<String, String> templates,
    @Required @Doc("The services, each a plan or a template with values.")
        List<FleetFileService> services,
    @Required @Doc("The waves, in order; every service is in exactly one.")
        List<FleetFileWave> waves) {}
