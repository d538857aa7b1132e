package dev.cutover.preflight;

/**
 * One check and its result.
 *
 * @param host the host's name in the plan
 * @param check what was checked: "reachable", "tool rsync", "sudo", "disk for final-sync", "ssh old -> new"
 * @param ok whether it passed
 * @param detail what was found, or what to do about it
 */
public record PreflightCheck(String host, String check, boolean ok, String detail) {
  public String line() {
    return (ok ? "ok    " : "FAILED") + "  " + host + ": " + check + (detail == null || detail.isEmpty() ? "" : " — " + detail);
  }
}
