package dev.cutover.steps.pgswitch;

import dev.cutover.plan.Doc;

/** A command a {@code pg-switch} runs inside its section, after the repoint. */
public record PgSwitchInsideSpec(
    @Doc("The plan host it runs on; reached before writes are frozen.") String host,
    @Doc("The command, passed to the host's shell as written.") String command,
    @Doc(
            "The command the way back (the step's undo) runs instead, pointing the application back (none: nothing runs there on the way back).")
        String back) {}
