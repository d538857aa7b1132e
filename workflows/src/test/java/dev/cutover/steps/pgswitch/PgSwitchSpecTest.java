package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.plan.load.PlanProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pg-switch step's fields are checked when the plan loads, each problem at its line. */
class PgSwitchSpecTest {
  static final String HEAD =
      """
      migration: shop
      hosts:
        old: {transport: ssh, address: 10.0.0.2}
        new: {transport: ssh, address: 10.0.0.3}
      databases:
        old-db: {host: old, name: shop, user: cutover}
        new-db: {host: new, name: shop, user: cutover}
      phases:
      """;

  @Test
  void aSwitchWithoutAReplicationStartedBeforeItIsRefused() {
    // given a plan whose switch has no pg-replicate start before it
    String plan =
        HEAD
            + """
          switch:
            steps:
              - {name: switch-db, kind: pg-switch, from: old-db, to: new-db}
        """;

    // when it loads, then the problem names the file, line and step
    assertThat(problems(plan))
        .containsExactly(
            "shop.yaml:11:9: phases.switch.steps[0]: this pg-switch step switches from old-db to new-db, but no pg-replicate step before it starts a replication from old-db to new-db; add one (action start, the default in prepare and presync) in an earlier phase");
  }

  @Test
  void badFieldsAreEachReportedAtTheirLine() {
    // given a switch with a deadline too long, an unknown action, a bad role, cutover's own role,
    // an unknown host and a bouncer without its config
    String plan =
        HEAD
            + """
          presync:
            steps:
              - {name: replicate, kind: pg-replicate, from: old-db, to: new-db}
          switch:
            steps:
              - name: switch-db
                kind: pg-switch
                from: old-db
                to: new-db
                deadline: 2m
                onDeadline: wait
                appRoles: ["bad role", cutover]
                verify: rows
                bouncer: {host: db, adminUser: pgbouncer, database: shop}
                inside:
                  - {host: web, command: "systemctl reload app"}
        """;

    // when it loads
    List<String> problems = problems(plan);

    // then each problem is reported with its field
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("deadline: must be between 100ms and 60s"))
        .anySatisfy(p -> assertThat(p).contains("onDeadline: 'wait' is not abort or go"))
        .anySatisfy(p -> assertThat(p).contains("appRoles[0]: 'bad role' is not a role name"))
        .anySatisfy(
            p -> assertThat(p).contains("appRoles[1]: 'cutover' is the role cutover connects to"))
        .anySatisfy(p -> assertThat(p).contains("verify: 'rows' is not checksums, counts or none"))
        .anySatisfy(p -> assertThat(p).contains("bouncer.host: unknown host 'db'"))
        .anySatisfy(p -> assertThat(p).contains("missing field 'bouncer.config'"))
        .anySatisfy(p -> assertThat(p).contains("inside[0].host: unknown host 'web'"));
    assertThat(problems).allSatisfy(p -> assertThat(p).matches("shop\\.yaml:\\d+:\\d+: .*"));
  }

  @Test
  void aPlanWithAReplicationAndASwitchLoads() throws InvalidPlanException {
    // given the shape docs/plan.md shows
    String plan =
        HEAD
            + """
          presync:
            steps:
              - {name: replicate, kind: pg-replicate, from: old-db, to: new-db}
          switch:
            steps:
              - {name: switch-db, kind: pg-switch, from: old-db, to: new-db, deadline: 100ms, onDeadline: go}
        """;

    // when it loads, then the defaults are as documented
    PgSwitchSpec s =
        PlanLoader.parse("shop.yaml", plan)
            .phases()
            .steps(dev.cutover.plan.PhaseName.SWITCH)
            .get(0)
            .spec(PgSwitchSpec.class);
    assertThat(s.goOnDeadline()).isTrue();
    assertThat(s.copySequencesOrDefault()).isTrue();
    assertThat(s.reverseOrDefault()).isTrue();
    assertThat(s.verifyOrDefault()).isEqualTo("checksums");
  }

  static List<String> problems(String plan) {
    InvalidPlanException e =
        catchThrowableOfType(InvalidPlanException.class, () -> PlanLoader.parse("shop.yaml", plan));
    assertThat(e).as("the plan should not load").isNotNull();
    return e.problems().stream().map(PlanProblem::format).toList();
  }
}
