package dev.cutover.fleet.load;

import dev.cutover.plan.Doc;
import dev.cutover.plan.Required;
import java.util.List;
import java.util.Map;

@Doc("A service of a fleet: exactly one of plan or template.")
public record FleetFileService(
    @Required @Doc("Name of the service: lower case letters, digits and hyphens; unique.")
        String name,
    @Doc("A plan file, relative to the fleet file.") String plan,
    @Doc("The name of a template of the fleet's templates.") String template,
    @Doc("The template's values by placeholder name; ${service} is the service's name.")
        Map<String, String> values,
    @Doc("Services that must have completed before this one starts.") List<String> dependsOn) {}
