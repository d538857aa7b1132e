package dev.cutover.steps.rsync;

import dev.cutover.plan.Host;
import java.util.List;

/**
 * A tree to copy: the contents of {@code sourcePath} on the source host into {@code targetPath} on
 * the target host (the directory's contents, as rsync does with a trailing slash). Each host is
 * given by its name in the plan and its definition, so the worker needs nothing but this request.
 * No secret travels here: the host that runs rsync uses its own key for the other host, and the
 * other host's key is checked against the key the worker verified for it.
 *
 * @param step the step's name in the plan
 * @param sourceHostName the source host's name in the plan
 * @param sourceHost the source host
 * @param sourcePath the directory to copy from, on the source host
 * @param targetHostName the target host's name in the plan
 * @param targetHost the target host
 * @param targetPath the directory to copy into, on the target host
 * @param excludes rsync exclude patterns, relative to the source directory
 * @param delete whether files absent from the source are deleted on the target ({@code --delete})
 * @param partial whether partially transferred files are kept so a retry resumes them ({@code
 *     --partial})
 * @param bandwidthLimitKib the transfer rate limit in KiB per second ({@code --bwlimit}); {@code
 *     null} for no limit
 * @param pull whether rsync runs on the target host and pulls (default: it runs on the source host
 *     and pushes)
 * @param identity private key file on the host that runs rsync, for its connection to the other
 *     host; {@code null} for that user's own keys
 * @param sudo the step's own sudo setting; {@code null} to use the host's
 */
public record RsyncRequest(
    String step,
    String sourceHostName,
    Host sourceHost,
    String sourcePath,
    String targetHostName,
    Host targetHost,
    String targetPath,
    List<String> excludes,
    boolean delete,
    boolean partial,
    Integer bandwidthLimitKib,
    boolean pull,
    String identity,
    Boolean sudo) {

  public RsyncRequest {
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
  }
}
