package dev.cutover.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.steps.Created;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What preflight checks at the start, and what it leaves for just before the step that needs what
 * an earlier step makes.
 */
class PreflightPlanTest {
  static final String HOSTS =
      """
      migration: shop
      secrets: {old-pw: env:OLD_PW, new-pw: env:NEW_PW}
      hosts:
        old: {transport: ssh, address: 10.0.0.2}
        new: {transport: ssh, address: 10.0.0.3}
      """;

  @Test
  void aCopyFromADirectoryAnEarlierCopyMakesIsSizedJustBeforeIt() throws InvalidPlanException {
    // given a plan that stages a tree on new, then copies part of the staged tree back to old
    Plan plan =
        PlanLoader.parse(
            "plan.yaml",
            HOSTS
                + """
        phases:
          prepare:
            steps:
              - {name: stage, kind: rsync, from: old, to: new, source: /srv/app, target: /srv/staging/}
          downtime:
            steps:
              - {name: keep-uploads, kind: rsync, from: new, to: old, source: /srv/staging/uploads, target: /srv/backup}
              - {name: other, kind: rsync, from: new, to: old, source: /srv/stagingx, target: /srv/x}
        """);

    // when preflight is planned
    PreflightPlan checks = Preflight.plan(plan);

    // then the start sizes the copies whose sources exist, and notes the one it leaves for later
    assertThat(checks.atStart().copies())
        .extracting(PreflightCopy::step)
        .containsExactly("stage", "other");
    assertThat(checks.atStart().notes())
        .containsExactly(
            new PreflightCheck(
                "new",
                "source of keep-uploads",
                true,
                "/srv/staging/uploads is made by step stage: it is sized, and its target's room checked, just before keep-uploads runs"));
    // and the check just before keep-uploads holds that copy and the two hosts it needs, nothing
    // more
    PreflightRequest later = checks.beforeStep().get("keep-uploads");
    assertThat(later.copies()).extracting(PreflightCopy::step).containsExactly("keep-uploads");
    assertThat(later.hosts()).extracting(PreflightHost::name).containsExactly("new", "old");
    assertThat(later.hosts()).allSatisfy(h -> assertThat(h.tools()).isEmpty());
    assertThat(checks.beforeStep()).containsOnlyKeys("keep-uploads");
    // and the start still checks every host and tool
    assertThat(checks.atStart().hosts()).isEqualTo(Preflight.request(plan).hosts());
  }

  @Test
  void aDatabaseAnEarlierStepMakesIsCheckedJustBeforeTheFirstStepThatUsesIt()
      throws InvalidPlanException {
    // given a plan whose first step makes the new database, then copies the old one into it
    Plan plan =
        PlanLoader.parse(
            "plan.yaml",
            HOSTS
                + """
        databases:
          old-db: {host: old, name: shop, user: cutover, passwordSecret: old-pw}
          new-db: {host: new, name: shop, user: cutover, passwordSecret: new-pw}
        phases:
          prepare:
            steps:
              - {name: create-db, kind: run, host: new, command: 'createdb shop'}
          downtime:
            steps:
              - {name: check-old, kind: sql, database: old-db, query: 'select 1'}
              - {name: copy-db, kind: pg-copy, from: old-db, to: new-db}
        """);

    // when preflight is planned, with create-db making new-db (as a kind that makes a database
    // says)
    PreflightPlan checks =
        Preflight.plan(
            plan,
            s -> s.name().equals("create-db") ? List.of(Created.database("new-db")) : List.of());

    // then the start checks the old database only, and says when the new one is checked
    assertThat(checks.atStart().databases())
        .extracting(PreflightDatabase::name)
        .containsExactly("old-db");
    assertThat(checks.atStart().databaseCopies()).isEmpty();
    assertThat(checks.atStart().notes())
        .extracting(PreflightCheck::detail)
        .containsExactly(
            "new-db is made by step create-db: it is checked just before copy-db runs");
    // and just before the copy, both databases (the copy compares their versions) and the copy
    // itself
    PreflightRequest later = checks.beforeStep().get("copy-db");
    assertThat(later.databases())
        .extracting(PreflightDatabase::name)
        .containsExactly("new-db", "old-db");
    assertThat(later.databaseCopies()).extracting(PreflightDbCopy::step).containsExactly("copy-db");
  }

  @Test
  void aPlanWhereNoStepMakesWhatAnotherNeedsChecksEverythingAtTheStart()
      throws InvalidPlanException {
    // given the usual shape: presync and final sync from old to new
    Plan plan =
        PlanLoader.parse(
            "plan.yaml",
            HOSTS
                + """
        phases:
          presync: {every: 1h, steps: [{name: sync, kind: rsync, from: old, to: new, source: /srv/app, target: /srv/app}]}
          downtime: {steps: [{name: final-sync, kind: rsync, from: old, to: new, source: /srv/app, target: /srv/app}]}
        """);

    // when preflight is planned
    PreflightPlan checks = Preflight.plan(plan);

    // then nothing is left for later, and the start checks what it always did
    assertThat(checks.beforeStep()).isEmpty();
    assertThat(checks.atStart()).isNull();
  }
}
