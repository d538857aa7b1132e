package dev.cutover.steps.postgres;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.steps.BuiltInUndo;
import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.StepCall;
import dev.cutover.steps.StepDone;
import dev.cutover.steps.StepHandler;
import java.util.List;

/**
 * The {@code pg-replicate} step in the workflow. {@code start} (before the downtime) sets up
 * logical replication, or finds it set up by an earlier round, and reports the lag; {@code finish}
 * (once writes have stopped) waits until the new database has applied everything, copies the
 * sequences and removes the subscription and slot, then with {@code reverse} replicates back to the
 * old one.
 */
public final class PgReplicateStep implements StepHandler<PgReplicateSpec> {
  static final String START = PgReplicateSpec.START;
  static final String FINISH = PgReplicateSpec.FINISH;

  @Override
  public void preflightNeeds(
      PreflightNeeds needs, Step step, PgReplicateSpec s, PhaseName phase, Plan plan) {
    needs.database(s.from());
    needs.database(s.to());
    if (START.equals(s.actionIn(phase))) {
      needs.publishes(s.from(), s.tables());
      needs.subscribes(s.to());
      if (!Boolean.FALSE.equals(s.copySchema())) {
        needs.databaseCopy(step.name(), s.from(), s.to());
      }
    } else if (s.reverseOrDefault()) {
      // After the finish the new database publishes and the old one subscribes.
      needs.publishes(s.to(), List.of());
      needs.subscribes(s.from());
    }
  }

  @Override
  public String preview(PgReplicateSpec s, PhaseName phase, Plan plan) {
    return " "
        + (START.equals(s.actionIn(phase))
            ? "start: "
                + s.from()
                + " -> "
                + s.to()
                + " logical replication"
                + (s.tables().isEmpty() ? "" : " of " + String.join(" ", s.tables()))
                + ", then report the lag"
            : "finish: wait until "
                + s.to()
                + " has applied all of "
                + s.from()
                + ", copy sequences, drop subscription and slot"
                + (s.reverseOrDefault()
                    ? "; then replicate back " + s.to() + " -> " + s.from()
                    : ""));
  }

  @Override
  public StepDone run(StepCall call, PgReplicateSpec spec) {
    return START.equals(spec.actionIn(call.phase())) ? start(call) : finish(call);
  }

  private StepDone start(StepCall call) {
    PgReplicateSpec s = call.step().spec(PgReplicateSpec.class);
    PgEndpoint source = PgEndpoints.of(call.plan(), s.from());
    PgEndpoint target = PgEndpoints.of(call.plan(), s.to());
    PgReplicationNames names = PgReplicationNames.of(call.plan(), s);
    PostgresActivities pg = call.activities(PostgresActivities.class);
    PgReplicationSetupResult setup =
        pg.setupReplication(
            new PgReplicationSetupRequest(
                call.step().name(),
                source,
                target,
                names.publication(),
                names.subscription(),
                null,
                s.tables(),
                !Boolean.FALSE.equals(s.copySchema()),
                true));
    PgReplicationLagResult lag =
        pg.replicationLag(
            new PgReplicationLagRequest(
                call.step().name(), source, target, setup.subscription(), setup.slot()));
    String state =
        lag.tablesInitialising() > 0
            ? lag.tablesInitialising()
                + " of "
                + tableCount(setup)
                + " tables still in their initial copy"
            : "all tables copied";
    // subscriptionCreated means "this step's own" (marked), also on later rounds: not worth a word
    // here.
    return new StepDone(
        s.from()
            + " -> "
            + s.to()
            + " replicating: "
            + state
            + ", "
            + PgText.bytes(lag.lagBytes())
            + " of WAL behind",
        PgReplicationUndo.of(setup),
        null);
  }

  private static String tableCount(PgReplicationSetupResult setup) {
    return setup.tables().isEmpty() ? "all" : String.valueOf(setup.tables().size());
  }

  private StepDone finish(StepCall call) {
    PgReplicateSpec s = call.step().spec(PgReplicateSpec.class);
    PgEndpoint source = PgEndpoints.of(call.plan(), s.from());
    PgEndpoint target = PgEndpoints.of(call.plan(), s.to());
    PgReplicationNames names = PgReplicationNames.of(call.plan(), s);
    PostgresActivities pg = call.activities(PostgresActivities.class);
    PgReplicationFinishResult done =
        pg.finishReplication(
            new PgReplicationFinishRequest(
                call.step().name(),
                source,
                target,
                names.publication(),
                names.subscription(),
                null,
                !Boolean.FALSE.equals(s.copySequences()),
                List.of(),
                null,
                true));
    String summary =
        s.to()
            + " caught up with "
            + s.from()
            + " at "
            + done.finalLsn()
            + " after "
            + PgText.millis(done.waitedMillis())
            + "; "
            + done.sequences().size()
            + " sequences copied; subscription and slot removed";
    if (!Boolean.TRUE.equals(s.reverse())) {
      return StepDone.of(summary);
    }
    // Both sides hold the same rows now and nothing writes: the way back needs no initial copy.
    PgReplicationNames back = names.reversed();
    PgReplicationSetupResult reverse =
        pg.setupReplication(
            new PgReplicationSetupRequest(
                call.step().name(),
                target,
                source,
                back.publication(),
                back.subscription(),
                null,
                List.of(),
                false,
                false));
    return new StepDone(
        summary
            + "; now replicating back "
            + s.to()
            + " -> "
            + s.from()
            + " ("
            + reverse.subscription()
            + ")",
        PgReplicationUndo.of(reverse),
        null);
  }

  @Override
  public boolean undoOnceWhenRepeated() {
    // A replication left behind after an abort keeps a slot on the old server, which holds WAL
    // forever.
    return true;
  }

  @Override
  public BuiltInUndo undoIfCutShort(Step step, PgReplicateSpec spec) {
    boolean finishOnly = FINISH.equals(spec.action()) && !Boolean.TRUE.equals(spec.reverse());
    return finishOnly ? null : PgReplicationUndo.cutShort();
  }

  @Override
  public StepDone undo(StepCall call, PgReplicateSpec spec, BuiltInUndo undo) {
    PgReplicateSpec s = call.step().spec(PgReplicateSpec.class);
    // The objects the step set up carry the step's own name, not its undo's.
    String stepName = Step.undoneStep(call.step().name());
    PgReplicationSetupResult setup = ((PgReplicationUndo) undo).pgReplication();
    PgReplicationNames names = PgReplicationNames.of(call.plan(), s);
    boolean reverse;
    if (setup == null) {
      // Cut short before it reported: drop whatever carries this step's mark under the plan's
      // names.
      reverse = FINISH.equals(s.actionIn(call.phase()));
      if (reverse && !Boolean.TRUE.equals(s.reverse())) {
        return StepDone.of("nothing to undo: the finish removes the replication itself");
      }
      PgReplicationNames own = reverse ? names.reversed() : names;
      setup =
          new PgReplicationSetupResult(
              own.publication(),
              own.subscription(),
              own.subscription(),
              true,
              true,
              false,
              List.of(),
              null,
              null);
    } else {
      reverse = !setup.publication().equals(names.publication());
    }
    // The reverse replication publishes from the new database.
    PgEndpoint source = PgEndpoints.of(call.plan(), reverse ? s.to() : s.from());
    PgEndpoint target = PgEndpoints.of(call.plan(), reverse ? s.from() : s.to());
    PgReplicationTeardownResult result =
        call.activities(PostgresActivities.class)
            .teardownReplication(new PgReplicationTeardownRequest(stepName, source, target, setup));
    return StepDone.of(
        "replication "
            + setup.subscription()
            + " removed: subscription "
            + dropped(result.subscriptionDropped())
            + ", slot "
            + dropped(result.slotDropped())
            + ", publication "
            + dropped(result.publicationDropped()));
  }

  private static String dropped(boolean yes) {
    return yes ? "dropped" : "already gone";
  }
}
