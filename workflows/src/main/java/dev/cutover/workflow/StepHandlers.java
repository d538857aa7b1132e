package dev.cutover.workflow;

import dev.cutover.steps.StepHandler;
import dev.cutover.steps.dns.DnsSetStep;
import dev.cutover.steps.dns.DnsTtlStep;
import dev.cutover.steps.http.HttpStep;
import dev.cutover.steps.http.TlsStep;
import dev.cutover.steps.proxy.ProxySwitchStep;
import dev.cutover.plan.StepKind;
import dev.cutover.steps.cron.CronStep;
import dev.cutover.steps.maintenance.MaintenanceStep;
import dev.cutover.steps.notify.NotifyStep;
import dev.cutover.steps.postgres.PgConnectionsStep;
import dev.cutover.steps.postgres.PgCopyStep;
import dev.cutover.steps.postgres.PgReplicateStep;
import dev.cutover.steps.postgres.PgVerifyStep;
import dev.cutover.steps.postgres.SqlStep;
import dev.cutover.steps.put.PutStep;
import dev.cutover.steps.rsync.RsyncStep;
import dev.cutover.steps.service.ServiceStep;
import java.util.EnumMap;
import java.util.Map;

/** The handler of each step kind that runs through a {@link StepHandler} (run and wait are the executor's own). */
final class StepHandlers {
  private static final Map<StepKind, StepHandler> HANDLERS = new EnumMap<>(StepKind.class);

  static {
    HANDLERS.put(StepKind.RSYNC, new RsyncStep());
    HANDLERS.put(StepKind.SERVICE, new ServiceStep());
    HANDLERS.put(StepKind.CRON, new CronStep());
    HANDLERS.put(StepKind.MAINTENANCE, new MaintenanceStep());
    HANDLERS.put(StepKind.PUT, new PutStep());
    HANDLERS.put(StepKind.PG_COPY, new PgCopyStep());
    HANDLERS.put(StepKind.PG_REPLICATE, new PgReplicateStep());
    HANDLERS.put(StepKind.PG_VERIFY, new PgVerifyStep());
    HANDLERS.put(StepKind.SQL, new SqlStep());
    HANDLERS.put(StepKind.PG_CONNECTIONS, new PgConnectionsStep());
    HANDLERS.put(StepKind.DNS_TTL, new DnsTtlStep());
    HANDLERS.put(StepKind.DNS_SET, new DnsSetStep());
    HANDLERS.put(StepKind.PROXY_SWITCH, new ProxySwitchStep());
    HANDLERS.put(StepKind.HTTP, new HttpStep());
    HANDLERS.put(StepKind.TLS, new TlsStep());
    HANDLERS.put(StepKind.NOTIFY, new NotifyStep());
  }

  private StepHandlers() {}

  static StepHandler of(StepKind kind) {
    return HANDLERS.get(kind);
  }
}
