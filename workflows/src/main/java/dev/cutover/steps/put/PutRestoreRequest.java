package dev.cutover.steps.put;

import dev.cutover.plan.Host;

/**
 * The undo of a put.
 *
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host
 * @param written the result of the put being undone
 * @param sudo the step's own sudo setting; {@code null} to use the host's
 */
public record PutRestoreRequest(
    String step, String hostName, Host host, PutResult written, Boolean sudo) {}
