package dev.cutover.steps.put;

import dev.cutover.plan.Host;

/**
 * A file to write. Exactly one of {@code content} and {@code contentSecret} is set: {@code content}
 * is literal text and part of the history; {@code contentSecret} is a secret reference such as
 * {@code env:APP_ENV_FILE} or {@code file:/etc/cutover/app.env} whose value the worker resolves and
 * writes, so a file holding a password never enters the history.
 *
 * @param migration the migration's name and 8 characters of its first run's id; the backup of the
 *     previous file is named after it and the step
 * @param step the step's name in the plan
 * @param hostName the host's name in the plan
 * @param host the host
 * @param path the file's absolute path on the host
 * @param content the file's content, as text
 * @param contentSecret reference to the file's content
 * @param mode the file's mode in octal, like {@code 0644}; {@code null} to keep the previous file's
 *     mode (or the umask's for a new file)
 * @param owner the owner, as {@code user} or {@code user:group}; {@code null} to keep the previous
 *     file's (or the connecting user's for a new file)
 * @param sudo the step's own sudo setting; {@code null} to use the host's
 */
public record PutRequest(
    String migration,
    String step,
    String hostName,
    Host host,
    String path,
    String content,
    String contentSecret,
    String mode,
    String owner,
    Boolean sudo) {}
