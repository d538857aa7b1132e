package dev.cutover.preflight;

/**
 * One check and its result.
 *
 * @param host the host's name in the plan
 * @param check what was checked: "reachable", "tool rsync", "sudo", "disk for final-sync", "ssh old
 *     -> new"
 * @param ok whether it passed
 * @param detail what was found, or what to do about it
 */
public record PreflightCheck(String host, String check, boolean ok, String detail) {
  /**
   * What a failure says, behind its type as {@code cutover status} and the docs name it ({@code
   * [HostKeyMismatch] ...}), for the detail of a failed check.
   */
  public static String typed(io.temporal.failure.ApplicationFailure failure) {
    String type = failure.getType();
    return (type == null || type.isBlank() ? "" : "[" + type + "] ") + failure.getOriginalMessage();
  }

  public String line() {
    return (ok ? "ok    " : "FAILED")
        + "  "
        + host
        + ": "
        + check
        + (detail == null || detail.isEmpty() ? "" : " — " + detail);
  }
}
