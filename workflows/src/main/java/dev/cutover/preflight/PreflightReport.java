package dev.cutover.preflight;

import java.util.List;

/** Every check, passed or not. */
public record PreflightReport(List<PreflightCheck> checks) {
  public PreflightReport {
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  public List<PreflightCheck> failures() {
    return checks.stream().filter(c -> !c.ok()).toList();
  }

  public String text() {
    return String.join("\n", checks.stream().map(PreflightCheck::line).toList());
  }
}
