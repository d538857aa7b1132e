package dev.cutover.workflow;

import dev.cutover.preflight.PreflightActivities;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.preflight.PreflightReport;
import dev.cutover.preflight.PreflightRequest;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.cron.CronActivities;
import dev.cutover.steps.cron.CronMoveRequest;
import dev.cutover.steps.cron.CronMoveResult;
import dev.cutover.steps.cron.CronRestoreRequest;
import dev.cutover.steps.cron.CronState;
import dev.cutover.steps.maintenance.MaintenanceActivities;
import dev.cutover.steps.maintenance.MaintenanceRequest;
import dev.cutover.steps.maintenance.MaintenanceResult;
import dev.cutover.steps.put.PutActivities;
import dev.cutover.steps.put.PutCleanupFile;
import dev.cutover.steps.put.PutCleanupRequest;
import dev.cutover.steps.put.PutCleanupResult;
import dev.cutover.steps.put.PutRequest;
import dev.cutover.steps.put.PutRestoreRequest;
import dev.cutover.steps.put.PutRestoreResult;
import dev.cutover.steps.put.PutResult;
import dev.cutover.steps.rsync.RsyncActivities;
import dev.cutover.steps.rsync.RsyncRequest;
import dev.cutover.steps.rsync.RsyncResult;
import dev.cutover.steps.service.ServiceActivities;
import dev.cutover.steps.service.ServiceRequest;
import dev.cutover.steps.service.ServiceResult;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fakes of the host step kinds for workflow-logic tests: each call is recorded as one line, and
 * results say something changed, so the workflow records built-in undos. The real activities are
 * tested against real hosts in the activities module.
 */
class HostStepsFake
    implements RsyncActivities,
        ServiceActivities,
        CronActivities,
        MaintenanceActivities,
        PutActivities,
        PreflightActivities {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<RsyncRequest> rsyncRequests = new CopyOnWriteArrayList<>();
  final List<PutRequest> putRequests = new CopyOnWriteArrayList<>();
  final List<PutCleanupRequest> cleanupRequests = new CopyOnWriteArrayList<>();

  /** How many cleanup calls fail before one passes. */
  final AtomicInteger cleanupFailures = new AtomicInteger();

  /** How many preflight calls fail before one passes. */
  final AtomicInteger preflightFailures = new AtomicInteger();

  final AtomicInteger rsyncRound = new AtomicInteger();
  final List<PreflightRequest> preflightRequests = new CopyOnWriteArrayList<>();

  /**
   * How many preflight calls just before a step (those without tools to look for) fail before one
   * passes.
   */
  final AtomicInteger laterPreflightFailures = new AtomicInteger();

  @Override
  public RsyncResult sync(RsyncRequest r) {
    calls.add("rsync " + r.step());
    rsyncRequests.add(r);
    int n = rsyncRound.incrementAndGet();
    // Each round changes less, as presync rounds do.
    return new RsyncResult(1000 / n, 1_000_000L / n, 50_000_000L, 60_000L / n, 1200 / n);
  }

  @Override
  public ServiceResult control(ServiceRequest r) {
    calls.add("service " + r.step() + " " + r.action().name().toLowerCase());
    boolean stop = r.action() == dev.cutover.steps.service.ServiceAction.STOP;
    return new ServiceResult(
        r.unit(),
        r.action(),
        stop ? "active" : "inactive",
        "enabled",
        stop ? "inactive" : "active",
        "enabled",
        true,
        10);
  }

  /** Whether a cron move runs until it is canceled, to test an abort that cuts a step short. */
  volatile boolean cronRunsUntilCanceled;

  @Override
  public CronMoveResult move(CronMoveRequest r) {
    calls.add("cron-move " + r.step() + " " + r.user());
    while (cronRunsUntilCanceled) {
      // The heartbeat is where an activity learns of its cancellation: it throws then.
      io.temporal.activity.Activity.getExecutionContext().heartbeat(null);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    CronState there = new CronState(true, 2, "/root/.cutover/x/old.crontab");
    CronState none = new CronState(false, 0, null);
    return new CronMoveResult(there, none, none, there, true);
  }

  @Override
  public CronMoveResult restore(CronRestoreRequest r) {
    if (r.moved() == null) {
      calls.add("cron-restore " + r.move().step() + " from the saved copies");
      CronState none = new CronState(false, 0, null);
      return new CronMoveResult(none, none, none, none, true);
    }
    calls.add("cron-restore " + r.move().step() + " " + r.moved().oldBefore().savedAt());
    return new CronMoveResult(
        r.moved().oldAfter(),
        r.moved().newAfter(),
        r.moved().oldBefore(),
        r.moved().newBefore(),
        true);
  }

  @Override
  public dev.cutover.steps.cron.CronRemoveResult remove(
      dev.cutover.steps.cron.CronRemoveRequest r) {
    calls.add("cron-remove " + r.step() + " " + r.user());
    return new dev.cutover.steps.cron.CronRemoveResult(
        new CronState(true, 2, "/root/.cutover/x/removed.crontab"),
        new CronState(false, 0, null),
        true);
  }

  @Override
  public dev.cutover.steps.cron.CronRemoveResult restoreRemoved(
      dev.cutover.steps.cron.CronRemoveRequest r) {
    calls.add("cron-restore-removed " + r.step() + " " + r.user());
    return new dev.cutover.steps.cron.CronRemoveResult(
        new CronState(true, 2, "/root/.cutover/x/removed.crontab"),
        new CronState(true, 2, null),
        true);
  }

  @Override
  public MaintenanceResult on(MaintenanceRequest r) {
    calls.add("maintenance-on " + r.step());
    return new MaintenanceResult(false, true, true);
  }

  @Override
  public MaintenanceResult off(MaintenanceRequest r) {
    calls.add("maintenance-off " + r.step());
    return new MaintenanceResult(true, false, true);
  }

  @Override
  public PutResult put(PutRequest r) {
    calls.add("put " + r.step());
    putRequests.add(r);
    return new PutResult(
        r.path(), true, "old-sha", "644", "root:root", r.path() + ".bak", "new-sha", true);
  }

  @Override
  public PutRestoreResult restore(PutRestoreRequest r) {
    calls.add("put-restore " + r.step() + " " + r.written().backupPath());
    return new PutRestoreResult(r.written().path(), true, r.written().previousSha256(), true);
  }

  @Override
  public PutCleanupResult cleanup(PutCleanupRequest r) {
    cleanupRequests.add(r);
    calls.add("put-cleanup " + r.files().stream().map(PutCleanupFile::step).toList());
    if (cleanupFailures.getAndDecrement() > 0) {
      throw io.temporal.failure.ApplicationFailure.newFailure(
          "host new: connection refused", "HostUnreachable");
    }
    return new PutCleanupResult(
        r.files().stream().map(f -> f.hostName() + ":" + f.path() + ".bak").toList());
  }

  @Override
  public PreflightReport check(PreflightRequest r) {
    calls.add("preflight " + r.hosts().stream().map(h -> h.name() + h.tools()).toList());
    preflightRequests.add(r);
    if (r.hosts().stream().allMatch(h -> h.tools().isEmpty())
        && laterPreflightFailures.getAndDecrement() > 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          "preflight found 1 problem:\nFAILED  new: source of "
              + r.copies().get(0).step()
              + " — "
              + r.copies().get(0).source()
              + " cannot be read",
          CutoverErrors.PREFLIGHT_FAILED);
    }
    if (preflightFailures.getAndDecrement() > 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          "preflight found 1 problem:\nFAILED  new: tool rsync — not found",
          CutoverErrors.PREFLIGHT_FAILED);
    }
    return new PreflightReport(
        List.of(new PreflightCheck("old", "reachable", true, "ssh root@10.0.0.1:22")));
  }
}
