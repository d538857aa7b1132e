package dev.cutover.workflow;

import dev.cutover.plan.Step;

/** The undo of a step that ran, kept in the order the steps ran. */
public record UndoEntry(String phase, String forStep, Step undo) {}
