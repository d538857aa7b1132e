package dev.cutover.steps.pgswitch;

import dev.cutover.steps.postgres.PgConnInfo;
import dev.cutover.steps.postgres.PgReplicationSetupRequest;
import dev.cutover.steps.postgres.PgSession;
import dev.cutover.testing.RealTools;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A benchmark, not a test (prints figures, asserts nothing): what starting the replication back
 * would cost inside the freeze, done three ways on two local servers. Run with {@code ./mvnw -B
 * -ntp -q -pl activities -am test -Dtest=ReverseInstantCost -Dsurefire.failIfNoSpecifiedTests=false
 * -Dcutover.bench=reverse} and read {@code ReverseInstantCost-output.txt} in surefire-reports.
 */
@RealTools
@EnabledIfSystemProperty(named = "cutover.bench", matches = "reverse")
class ReverseInstantCost {
  static final int ROUNDS = 5;

  @Test
  void printCosts() {
    List<Double> whole = new ArrayList<>();
    List<Double> createSlotSubscription = new ArrayList<>();
    List<Double> slotOnly = new ArrayList<>();
    List<Double> snapshots = new ArrayList<>();
    try (SwitchTestPair pair = new SwitchTestPair()) {
      for (int i = 0; i < ROUNDS; i++) {
        // 1. pg-replicate's setup as it is (checks, publication, slot, subscription)
        String db = pair.shop();
        pair.dropForward(db);
        long t = System.nanoTime();
        pair.replication.setup(
            new PgReplicationSetupRequest(
                "switch-db",
                pair.newDb(db),
                pair.oldDb(db),
                SwitchTestPair.back(db),
                SwitchTestPair.back(db),
                null,
                List.of(),
                false,
                false),
            p -> {});
        whole.add(ms(t));

        // 2. publication made before; CREATE SUBSCRIPTION ... create_slot = true at the instant
        db = pair.shop();
        pair.dropForward(db);
        pair.fresh.sql(db, "create publication " + SwitchTestPair.back(db) + " for all tables");
        String conninfo =
            PgConnInfo.forSubscription(pair.newDb(db), pair.fresh.superuserPassword());
        try (PgSession old = pair.sessions.open("old-db", pair.oldDb(db))) {
          t = System.nanoTime();
          old.execute(
              "CREATE SUBSCRIPTION "
                  + SwitchTestPair.back(db)
                  + " CONNECTION '"
                  + conninfo.replace("'", "''")
                  + "' PUBLICATION "
                  + SwitchTestPair.back(db)
                  + " WITH (copy_data = false, create_slot = true)");
          createSlotSubscription.add(ms(t));
        }

        // 3. the split: everything before, only the slot (and the snapshots) at the instant
        db = pair.shop();
        ReverseReplication back =
            new ReverseReplication(
                pair.sessions,
                "switch-db",
                pair.newDb(db),
                SwitchTestPair.forward(db),
                SwitchTestPair.forward(db),
                SwitchTestPair.back(db),
                SwitchTestPair.back(db));
        SwitchSnapshots snap =
            new SwitchSnapshots(
                pair.sessions,
                "switch-db",
                "old-db",
                pair.oldDb(db),
                "new-db",
                pair.newDb(db),
                SwitchTestPair.forward(db),
                true,
                true);
        try (PgSession old = pair.sessions.open("old-db", pair.oldDb(db));
            PgSession fresh = pair.sessions.open("new-db", pair.newDb(db))) {
          back.prepare(old, fresh);
          snap.prepare();
          t = System.nanoTime();
          snap.take();
          snapshots.add(ms(t));
          t = System.nanoTime();
          back.atInstant(fresh);
          slotOnly.add(ms(t));
        } finally {
          snap.close();
        }
      }
    }
    System.out.println("REVERSE-COST pg-replicate setup inside the freeze (ms): " + whole);
    System.out.println(
        "REVERSE-COST CREATE SUBSCRIPTION create_slot=true inside (ms): " + createSlotSubscription);
    System.out.println("REVERSE-COST split: the slot only (ms): " + slotOnly);
    System.out.println("REVERSE-COST split: the two snapshots (ms): " + snapshots);
  }

  static double ms(long started) {
    return Double.parseDouble(
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e6));
  }
}
