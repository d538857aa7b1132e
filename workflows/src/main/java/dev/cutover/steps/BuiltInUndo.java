package dev.cutover.steps;

import dev.cutover.steps.dns.DnsChangeResult;
import dev.cutover.steps.proxy.ProxySwitchResult;
import dev.cutover.plan.StepKind;
import dev.cutover.steps.cron.CronMoveResult;
import dev.cutover.steps.maintenance.MaintenanceResult;
import dev.cutover.steps.postgres.PgReplicationSetupResult;
import dev.cutover.steps.put.PutResult;
import dev.cutover.steps.service.ServiceResult;

/**
 * How to revert a finished step of a kind that undoes itself, from what its run recorded. It travels
 * in the undo stack (and so across continue-as-new); one field is set, the one of its kind.
 */
public record BuiltInUndo(
    StepKind kind,
    ServiceResult service,
    CronMoveResult cron,
    PutResult put,
    MaintenanceResult maintenance,
    PgReplicationSetupResult pgReplication,
    DnsChangeResult dns,
    ProxySwitchResult proxy) {
  /** The undo of a step an abort cut short: no result was recorded, the handler works from the plan. */
  public static BuiltInUndo cutShort(StepKind kind) {
    return new BuiltInUndo(kind, null, null, null, null, null, null, null);
  }

  public static BuiltInUndo service(ServiceResult result) {
    return new BuiltInUndo(StepKind.SERVICE, result, null, null, null, null, null, null);
  }

  public static BuiltInUndo cron(CronMoveResult result) {
    return new BuiltInUndo(StepKind.CRON, null, result, null, null, null, null, null);
  }

  public static BuiltInUndo put(PutResult result) {
    return new BuiltInUndo(StepKind.PUT, null, null, result, null, null, null, null);
  }

  public static BuiltInUndo maintenance(MaintenanceResult result) {
    return new BuiltInUndo(StepKind.MAINTENANCE, null, null, null, result, null, null, null);
  }

  /** A DNS change (dns-ttl or dns-set, by {@code kind}); the undo prefers the original the run read first. */
  public static BuiltInUndo dns(StepKind kind, DnsChangeResult result) {
    return new BuiltInUndo(kind, null, null, null, null, null, result, null);
  }

  public static BuiltInUndo proxy(ProxySwitchResult result) {
    return new BuiltInUndo(StepKind.PROXY_SWITCH, null, null, null, null, null, null, result);
  }

  /** The teardown of a replication a pg-replicate step set up (start, or the reverse one after finish). */
  public static BuiltInUndo pgReplication(PgReplicationSetupResult result) {
    return new BuiltInUndo(StepKind.PG_REPLICATE, null, null, null, null, result, null, null);
  }
}
