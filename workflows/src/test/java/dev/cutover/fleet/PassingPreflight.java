package dev.cutover.fleet;

import dev.cutover.preflight.PreflightActivities;
import dev.cutover.preflight.PreflightReport;
import dev.cutover.preflight.PreflightRequest;
import java.util.List;

/** Preflight for fleet tests whose member plans name SSH hosts: every check passes. */
final class PassingPreflight implements PreflightActivities {
  @Override
  public PreflightReport check(PreflightRequest request) {
    return new PreflightReport(List.of());
  }
}
