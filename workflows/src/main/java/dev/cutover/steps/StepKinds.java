package dev.cutover.steps;

import dev.cutover.plan.StepKind;
import dev.cutover.plan.StepSpec;
import dev.cutover.plan.StepSpecTable;
import dev.cutover.steps.cron.CronSpec;
import dev.cutover.steps.cron.CronStep;
import dev.cutover.steps.cron.CronUndo;
import dev.cutover.steps.dns.DnsSetSpec;
import dev.cutover.steps.dns.DnsSetStep;
import dev.cutover.steps.dns.DnsTtlSpec;
import dev.cutover.steps.dns.DnsTtlStep;
import dev.cutover.steps.dns.DnsUndo;
import dev.cutover.steps.dns.DnsWaitSpec;
import dev.cutover.steps.dns.DnsWaitStep;
import dev.cutover.steps.http.HttpSpec;
import dev.cutover.steps.http.HttpStep;
import dev.cutover.steps.http.TlsSpec;
import dev.cutover.steps.http.TlsStep;
import dev.cutover.steps.maintenance.MaintenanceSpec;
import dev.cutover.steps.maintenance.MaintenanceStep;
import dev.cutover.steps.maintenance.MaintenanceUndo;
import dev.cutover.steps.notify.NotifySpec;
import dev.cutover.steps.notify.NotifyStep;
import dev.cutover.steps.parallel.ParallelSpec;
import dev.cutover.steps.parallel.ParallelStep;
import dev.cutover.steps.pgdatabase.PgDatabaseSpec;
import dev.cutover.steps.pgdatabase.PgDatabaseStep;
import dev.cutover.steps.pgdatabase.PgDatabaseUndo;
import dev.cutover.steps.pgswitch.PgSwitchSpec;
import dev.cutover.steps.pgswitch.PgSwitchStep;
import dev.cutover.steps.pgswitch.PgSwitchUndo;
import dev.cutover.steps.postgres.PgConnectionsSpec;
import dev.cutover.steps.postgres.PgConnectionsStep;
import dev.cutover.steps.postgres.PgCopySpec;
import dev.cutover.steps.postgres.PgCopyStep;
import dev.cutover.steps.postgres.PgReplicateSpec;
import dev.cutover.steps.postgres.PgReplicateStep;
import dev.cutover.steps.postgres.PgReplicationUndo;
import dev.cutover.steps.postgres.PgVerifySpec;
import dev.cutover.steps.postgres.PgVerifyStep;
import dev.cutover.steps.postgres.SqlSpec;
import dev.cutover.steps.postgres.SqlStep;
import dev.cutover.steps.proxy.ProxySwitchSpec;
import dev.cutover.steps.proxy.ProxySwitchStep;
import dev.cutover.steps.proxy.ProxyUndo;
import dev.cutover.steps.put.PutSpec;
import dev.cutover.steps.put.PutStep;
import dev.cutover.steps.put.PutUndo;
import dev.cutover.steps.reboot.RebootSpec;
import dev.cutover.steps.reboot.RebootStep;
import dev.cutover.steps.rsync.RsyncSpec;
import dev.cutover.steps.rsync.RsyncStep;
import dev.cutover.steps.run.RunSpec;
import dev.cutover.steps.run.RunStep;
import dev.cutover.steps.service.ServiceSpec;
import dev.cutover.steps.service.ServiceStep;
import dev.cutover.steps.service.ServiceUndo;
import dev.cutover.steps.wait.WaitSpec;
import dev.cutover.steps.wait.WaitStep;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every step kind's unit, in one list: the kind, its spec record and its workflow handler. Adding a
 * kind is its unit, one line here, one in the worker's list of activities and its section in
 * docs/plan.md. The plan layer finds this table through {@link StepSpecTable} (META-INF/services).
 */
public final class StepKinds implements StepSpecTable {
  /**
   * One kind's unit.
   *
   * @param undo the record its built-in undo travels in; null for kinds without one
   */
  public record Unit(
      StepKind kind,
      Class<? extends StepSpec> spec,
      StepHandler<? extends StepSpec> handler,
      Class<? extends BuiltInUndo> undo) {
    Unit(StepKind kind, Class<? extends StepSpec> spec, StepHandler<? extends StepSpec> handler) {
      this(kind, spec, handler, null);
    }
  }

  public static final List<Unit> UNITS =
      List.of(
          new Unit(StepKind.RUN, RunSpec.class, new RunStep()),
          new Unit(StepKind.WAIT, WaitSpec.class, new WaitStep()),
          new Unit(StepKind.RSYNC, RsyncSpec.class, new RsyncStep()),
          new Unit(StepKind.PG_COPY, PgCopySpec.class, new PgCopyStep()),
          new Unit(
              StepKind.PG_REPLICATE,
              PgReplicateSpec.class,
              new PgReplicateStep(),
              PgReplicationUndo.class),
          new Unit(StepKind.PG_VERIFY, PgVerifySpec.class, new PgVerifyStep()),
          new Unit(StepKind.SQL, SqlSpec.class, new SqlStep()),
          new Unit(StepKind.PG_CONNECTIONS, PgConnectionsSpec.class, new PgConnectionsStep()),
          new Unit(StepKind.HTTP, HttpSpec.class, new HttpStep()),
          new Unit(StepKind.TLS, TlsSpec.class, new TlsStep()),
          new Unit(StepKind.DNS_TTL, DnsTtlSpec.class, new DnsTtlStep(), DnsUndo.class),
          new Unit(StepKind.DNS_SET, DnsSetSpec.class, new DnsSetStep(), DnsUndo.class),
          new Unit(
              StepKind.PROXY_SWITCH, ProxySwitchSpec.class, new ProxySwitchStep(), ProxyUndo.class),
          new Unit(StepKind.SERVICE, ServiceSpec.class, new ServiceStep(), ServiceUndo.class),
          new Unit(StepKind.CRON, CronSpec.class, new CronStep(), CronUndo.class),
          new Unit(
              StepKind.MAINTENANCE,
              MaintenanceSpec.class,
              new MaintenanceStep(),
              MaintenanceUndo.class),
          new Unit(StepKind.PUT, PutSpec.class, new PutStep(), PutUndo.class),
          new Unit(StepKind.NOTIFY, NotifySpec.class, new NotifyStep()),
          new Unit(
              StepKind.PG_DATABASE,
              PgDatabaseSpec.class,
              new PgDatabaseStep(),
              PgDatabaseUndo.class),
          new Unit(StepKind.DNS_WAIT, DnsWaitSpec.class, new DnsWaitStep()),
          new Unit(StepKind.REBOOT, RebootSpec.class, new RebootStep()),
          new Unit(StepKind.PG_SWITCH, PgSwitchSpec.class, new PgSwitchStep(), PgSwitchUndo.class),
          new Unit(StepKind.PARALLEL, ParallelSpec.class, new ParallelStep()));

  private static final Map<StepKind, Unit> BY_KIND = new EnumMap<>(StepKind.class);

  static {
    for (Unit unit : UNITS) {
      if (BY_KIND.put(unit.kind(), unit) != null) {
        throw new IllegalStateException("step kind " + unit.kind() + " is listed twice");
      }
    }
    for (StepKind kind : StepKind.values()) {
      if (!BY_KIND.containsKey(kind)) {
        throw new IllegalStateException("step kind " + kind + " has no unit in StepKinds");
      }
    }
  }

  /** The unit of a kind. */
  public static Unit of(StepKind kind) {
    return BY_KIND.get(kind);
  }

  /**
   * The handler of a kind, to be called with a step's spec (which the binders made of the kind's
   * class).
   */
  @SuppressWarnings("unchecked")
  public static StepHandler<StepSpec> handler(StepKind kind) {
    return (StepHandler<StepSpec>) BY_KIND.get(kind).handler();
  }

  /** Every kind's handler, in the list's order. */
  public static List<StepHandler<StepSpec>> handlers() {
    return UNITS.stream().map(u -> handler(u.kind())).toList();
  }

  @Override
  public Class<? extends StepSpec> specOf(StepKind kind) {
    return BY_KIND.get(kind).spec();
  }
}
