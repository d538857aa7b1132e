package dev.cutover.steps.maintenance;

import dev.cutover.plan.Host;

/**
 * A maintenance page on a host. The same request serves to turn it on and, as the undo, off.
 *
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host
 * @param mode how the page is switched
 * @param path with {@link MaintenanceMode#FILE}, the flag file, like {@code
 *     /srv/app/maintenance.txt}
 * @param content with {@link MaintenanceMode#FILE}, what the flag file holds (the page, or empty)
 * @param onCommand with {@link MaintenanceMode#COMMAND}, the command that turns the page on, passed
 *     to {@code sh -c} as written
 * @param offCommand with {@link MaintenanceMode#COMMAND}, the command that turns it off
 * @param checkCommand with {@link MaintenanceMode#COMMAND}, a command that exits 0 when the page is
 *     on; {@code null} when there is none
 * @param sudo the step's own sudo setting; {@code null} to use the host's
 */
public record MaintenanceRequest(
    String step,
    String hostName,
    Host host,
    MaintenanceMode mode,
    String path,
    String content,
    String onCommand,
    String offCommand,
    String checkCommand,
    Boolean sudo) {}
