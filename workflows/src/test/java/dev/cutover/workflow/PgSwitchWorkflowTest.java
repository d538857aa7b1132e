package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.steps.pgswitch.PgSwitchRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pg-switch step in the workflow: one activity, its measured freeze in the step's line. */
class PgSwitchWorkflowTest extends WorkflowTestSupport {
  final PgStepsFake pg = new PgStepsFake();
  final PgSwitchFake sw = new PgSwitchFake();

  static final Plan PLAN =
      Plans.parse(
          """
      migration: shop
      secrets: {old-pw: env:OLD_PW, new-pw: env:NEW_PW, bouncer-pw: env:BOUNCER_PW}
      hosts:
        old: {transport: ssh, address: 10.0.0.2}
        new: {transport: ssh, address: 10.0.0.3}
      databases:
        old-db: {host: old, name: shop, user: cutover, passwordSecret: old-pw}
        new-db: {host: new, name: shop, user: cutover, passwordSecret: new-pw}
      phases:
        presync:
          steps:
            - {name: replicate, kind: pg-replicate, from: old-db, to: new-db}
        switch:
          steps:
            - name: switch-db
              kind: pg-switch
              from: old-db
              to: new-db
              deadline: 800ms
              appRoles: [shop]
              bouncer: {host: old, adminUser: pgbouncer, adminPasswordSecret: bouncer-pw, database: shop, config: /etc/pgbouncer/pgbouncer.ini}
              inside:
                - {host: new, command: "systemctl reload shop"}
      """);

  @Override
  Object[] moreActivities() {
    return new Object[] {pg, sw};
  }

  @Test
  void theStepsLineSaysHowLongWritesWereFrozenAsTheSectionMeasuredIt() {
    // given a plan that replicates in presync and switches with a pg-switch step
    start(PLAN);

    // when the run completes
    MigrationResult result = result();

    // then the switch ran as one activity and its line carries the measured freeze
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(sw.switches).hasSize(1);
    assertThat(step(result, "switch-db").outputTail())
        .startsWith("writes frozen 0.41 s (held at pgbouncer on old:6432)")
        .contains("new-db caught up at 0/3A0F2C8")
        .contains("3 sequences copied")
        .contains("1 session cut (shop@10.0.0.9 (rails))")
        .contains("replicating back new-db -> old-db");
  }

  @Test
  void theRequestCarriesThePlansNamesDeadlineAndSecretReferencesOnly() {
    // given the plan
    start(PLAN);

    // when the run completes
    result();

    // then the switch ends the replication pg-replicate started, under its names, and names the
    // replication back; passwords are references
    PgSwitchRequest r = sw.switches.get(0);
    assertThat(r.publication()).isEqualTo("cutover_shop_old_db_new_db");
    assertThat(r.subscription()).isEqualTo("cutover_shop_old_db_new_db");
    assertThat(r.reverseSubscription()).isEqualTo("cutover_shop_old_db_new_db_rev");
    assertThat(r.deadline()).isEqualTo(Duration.ofMillis(800));
    assertThat(r.goOnDeadline()).isFalse();
    assertThat(r.appRoles()).containsExactly("shop");
    assertThat(r.from().passwordSecret()).isEqualTo("env:OLD_PW");
    assertThat(r.bouncer().adminPasswordSecret()).isEqualTo("env:BOUNCER_PW");
    assertThat(r.bouncer().port()).isEqualTo(6432);
    assertThat(r.inside())
        .singleElement()
        .satisfies(c -> assertThat(c.hostName()).isEqualTo("new"));
    assertThat(r.verify()).isEqualTo("checksums");
  }
}
