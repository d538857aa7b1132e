package dev.cutover.steps.put;

import dev.cutover.plan.Host;

/**
 * A file a {@code put} step wrote, whose backup and absent marker the cleanup removes.
 *
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host
 * @param path the file's absolute path on the host
 * @param sudo the step's own sudo setting; {@code null} to use the host's
 */
public record PutCleanupFile(String step, String hostName, Host host, String path, Boolean sudo) {}
