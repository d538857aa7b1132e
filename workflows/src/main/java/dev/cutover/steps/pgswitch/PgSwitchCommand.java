package dev.cutover.steps.pgswitch;

import dev.cutover.plan.Host;

/**
 * A command a switch runs inside its section, after the repoint (reload the app so it connects to
 * the new database), on a host reached before the freeze. Passed to the host's shell as written.
 *
 * @param hostName the plan's name of the host
 * @param host that host
 * @param command the command
 * @param back the command the way back runs instead (points the application back); {@code null} for
 *     none (absent in requests of histories from before it)
 */
public record PgSwitchCommand(String hostName, Host host, String command, String back) {}
