package dev.cutover.workflow;

import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;

/**
 * The undo of a step that ran, kept in the order the steps ran: the plan's own undo step, or else
 * the kind's built-in undo.
 */
public record UndoEntry(String phase, String forStep, Step undo, BuiltInUndo builtIn) {
  public UndoEntry(String phase, String forStep, Step undo) {
    this(phase, forStep, undo, null);
  }
}
