package dev.cutover.steps;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.cutover.plan.StepKind;

/**
 * How to revert a finished step of a kind that undoes itself, from what its run recorded: one
 * record per kind, in the kind's unit (ServiceUndo, DnsUndo...). It travels in the undo stack (and
 * so across continue-as-new) as {"kind": ..., "<its field>": ...}: the shape of the one union
 * record earlier versions wrote, which {@link BuiltInUndoReader} still reads.
 */
@JsonDeserialize(using = BuiltInUndoReader.class)
public interface BuiltInUndo {
  /** The kind of the step it undoes. */
  StepKind kind();
}
