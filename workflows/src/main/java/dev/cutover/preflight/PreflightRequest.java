package dev.cutover.preflight;

import java.util.List;

/** Everything preflight checks before the first step changes anything. */
public record PreflightRequest(String migration, List<PreflightHost> hosts, List<PreflightCopy> copies) {
  public PreflightRequest {
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
    copies = copies == null ? List.of() : List.copyOf(copies);
  }
}
