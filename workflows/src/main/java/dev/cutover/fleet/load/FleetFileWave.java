package dev.cutover.fleet.load;

import dev.cutover.plan.Doc;
import dev.cutover.plan.Required;
import java.util.List;

@Doc("Services moved in the same window.")
public record FleetFileWave(
    @Required @Doc("Name of the wave; unique.") String name,
    @Required @Doc("The wave's services, by name; never empty.") List<String> services,
    @Doc("Approvals given once for the whole wave.") List<FleetFileGate> gates) {}
