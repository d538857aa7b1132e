package dev.cutover.cli.report;

/** A step as the plan in the run's input names it. */
record PlanStep(String phase, String name, String kind, String place, String description) {}
