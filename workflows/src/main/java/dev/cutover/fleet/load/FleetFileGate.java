package dev.cutover.fleet.load;

import dev.cutover.plan.Doc;
import dev.cutover.plan.Required;

@Doc("A shared gate: one approval before the same phase of every member of the wave.")
public record FleetFileGate(
    @Required @Doc("Name used to approve the gate; unique in the fleet and its plans.") String name,
    @Required @Doc("The phase the gate stands before; every member of the wave has it.")
        String before,
    @Doc("What the approver should check first.") String description) {}
