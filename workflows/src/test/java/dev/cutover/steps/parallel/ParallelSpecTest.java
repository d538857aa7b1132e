package dev.cutover.steps.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.plan.PhaseName;
import dev.cutover.plan.Plan;
import dev.cutover.plan.Step;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;
import dev.cutover.plan.load.PlanProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A parallel group's fields and its branches' steps are checked when the plan loads. */
class ParallelSpecTest {
  static final String HEAD =
      """
      migration: shop
      hosts:
        old: {transport: local}
        new: {transport: local}
      phases:
        downtime:
          steps:
      """;

  @Test
  void aGroupLoadsWithItsBranchesAndLimit() throws InvalidPlanException {
    // given a group of two branches, at most one at once
    String plan =
        HEAD
            + """
            - name: copy
              kind: parallel
              limit: 1
              branches:
                - name: finance
                  steps:
                    - {name: copy-finance, kind: run, host: old, command: "true"}
                    - {name: check-finance, kind: run, host: new, command: "true"}
                - name: hr
                  steps:
                    - {name: copy-hr, kind: run, host: old, command: "true"}
        """;

    // when it loads
    Plan loaded = PlanLoader.parse("shop.yaml", plan);

    // then the group holds its branches in order, and the phase lists every nested step
    Step group = loaded.phases().steps(PhaseName.DOWNTIME).get(0);
    assertThat(group.isGroup()).isTrue();
    assertThat(group.spec().branchesAtOnce()).isEqualTo(1);
    assertThat(group.branches()).extracting(b -> b.name()).containsExactly("finance", "hr");
    assertThat(loaded.phases().stepsWithNested(PhaseName.DOWNTIME))
        .extracting(Step::name)
        .containsExactly("copy", "copy-finance", "check-finance", "copy-hr");
  }

  @Test
  void withoutALimitEveryBranchRunsAtOnce() throws InvalidPlanException {
    // given a group of three branches and no limit
    String plan =
        HEAD
            + """
            - name: copy
              kind: parallel
              branches:
                - {name: a, steps: [{name: a1, kind: run, host: old, command: "true"}]}
                - {name: b, steps: [{name: b1, kind: run, host: old, command: "true"}]}
                - {name: c, steps: [{name: c1, kind: run, host: old, command: "true"}]}
        """;

    // when it loads, then all three may run at once
    Step group = PlanLoader.parse("shop.yaml", plan).phases().steps(PhaseName.DOWNTIME).get(0);
    assertThat(group.spec().branchesAtOnce()).isEqualTo(3);
  }

  @Test
  void aGroupWithoutBranchesIsRefused() {
    // given a group that names no branch, and one with an empty list
    String plan =
        HEAD
            + """
            - {name: none, kind: parallel}
            - {name: empty, kind: parallel, branches: []}
        """;

    // when it loads, then both are reported at their line
    assertThat(problems(plan))
        .containsExactly(
            "shop.yaml:8:7: phases.downtime.steps[0]: missing field 'branches': a parallel group needs at least one branch, each a name and its steps",
            "shop.yaml:9:47: phases.downtime.steps[1].branches: a parallel group needs at least one branch, each a name and its steps");
  }

  @Test
  void anEmptyBranchAndADuplicateBranchNameAreRefused() {
    // given a branch without steps and two branches of one name
    String plan =
        HEAD
            + """
            - name: copy
              kind: parallel
              branches:
                - {name: a, steps: []}
                - {name: b, steps: [{name: b1, kind: run, host: old, command: "true"}]}
                - {name: b, steps: [{name: b2, kind: run, host: old, command: "true"}]}
                - name: c
        """;

    // when it loads
    List<String> problems = problems(plan);

    // then each problem names its branch at its line
    assertThat(problems)
        .containsExactly(
            "shop.yaml:11:28: phases.downtime.steps[0].branches[0].steps: branch 'a' has no steps",
            "shop.yaml:13:18: phases.downtime.steps[0].branches[2].name: duplicate branch name 'b' in group 'copy' (first used at branches[1])",
            "shop.yaml:14:11: phases.downtime.steps[0].branches[3].steps: missing required field 'steps'");
  }

  @Test
  void aStepNameUsedTwiceAnywhereInThePlanIsRefused() {
    // given a nested step named like a step of the phase, and two nested steps of one name
    String plan =
        HEAD
            + """
            - {name: stop, kind: run, host: old, command: "true"}
            - name: copy
              kind: parallel
              branches:
                - {name: a, steps: [{name: stop, kind: run, host: old, command: "true"}]}
                - {name: b, steps: [{name: twice, kind: run, host: old, command: "true"}]}
                - {name: c, steps: [{name: twice, kind: run, host: old, command: "true"}]}
        """;

    // when it loads, then both duplicates point at the first use
    assertThat(problems(plan))
        .containsExactly(
            "shop.yaml:12:36: phases.downtime.steps[1].branches[0].steps[0].name: duplicate step name 'stop' (first used at phases.downtime.steps[0])",
            "shop.yaml:14:36: phases.downtime.steps[1].branches[2].steps[0].name: duplicate step name 'twice' (first used at phases.downtime.steps[1].branches[1].steps[0])");
  }

  @Test
  void aGroupInsideABranchIsRefused() {
    // given a group nested in a branch of another
    String plan =
        HEAD
            + """
            - name: outer
              kind: parallel
              branches:
                - name: a
                  steps:
                    - name: inner
                      kind: parallel
                      branches:
                        - {name: x, steps: [{name: x1, kind: run, host: old, command: "true"}]}
        """;

    // when it loads, then the nested group is refused at its kind
    assertThat(problems(plan))
        .containsExactly(
            "shop.yaml:14:21: phases.downtime.steps[0].branches[0].steps[0].kind: a group cannot run inside a branch of group 'outer'; put its branches in the outer group instead");
  }

  @Test
  void undoTimeoutRetryAndOnFailureOnTheGroupAndALimitOutOfRangeAreRefused() {
    // given a group with the fields only its steps can have, and a limit of 0
    String plan =
        HEAD
            + """
            - name: copy
              kind: parallel
              limit: 0
              timeout: 5m
              retry: {maxAttempts: 2}
              onFailure: continue
              undo: {kind: run, host: old, command: "true"}
              branches:
                - {name: a, steps: [{name: a1, kind: run, host: old, command: "true"}]}
            - name: wide
              kind: parallel
              limit: 51
              branches:
                - {name: b, steps: [{name: b1, kind: run, host: old, command: "true"}]}
        """;

    // when it loads
    List<String> problems = problems(plan);

    // then each field is reported at its line
    assertThat(problems)
        .containsExactlyInAnyOrder(
            "shop.yaml:14:13: phases.downtime.steps[0].undo: field 'undo' does not apply to a parallel group 'copy'; put it on the steps of its branches",
            "shop.yaml:11:16: phases.downtime.steps[0].timeout: field 'timeout' does not apply to a parallel group 'copy'; put it on the steps of its branches",
            "shop.yaml:12:14: phases.downtime.steps[0].retry: field 'retry' does not apply to a parallel group 'copy'; put it on the steps of its branches",
            "shop.yaml:13:18: phases.downtime.steps[0].onFailure: field 'onFailure' does not apply to a parallel group 'copy'; put it on the steps of its branches",
            "shop.yaml:10:14: phases.downtime.steps[0].limit: limit 0 is out of range 1-50: the most branches of the group running at once",
            "shop.yaml:19:14: phases.downtime.steps[1].limit: limit 51 is out of range 1-50: the most branches of the group running at once");
  }

  @Test
  void aNestedStepIsValidatedAsAnyStep() {
    // given a nested step naming an unknown host, and a second point of no return in a branch
    String plan =
        HEAD
            + """
            - {name: stop, kind: run, host: old, command: "true", pointOfNoReturn: true}
            - name: copy
              kind: parallel
              branches:
                - name: a
                  steps:
                    - {name: a1, kind: run, host: web, command: "true", pointOfNoReturn: true}
        """;

    // when it loads, then both problems are reported at the nested step
    assertThat(problems(plan))
        .containsExactly(
            "shop.yaml:14:43: phases.downtime.steps[1].branches[0].steps[0].host: unknown host 'web'; hosts in this plan: new, old",
            "shop.yaml:14:82: phases.downtime.steps[1].branches[0].steps[0].pointOfNoReturn: only one step can be the point of no return");
  }

  @Test
  void aNestedStepInARepeatingPhaseCannotHaveAnUndo() {
    // given a presync group whose nested step has an undo
    String plan =
        """
        migration: shop
        hosts:
          old: {transport: local}
        phases:
          presync:
            steps:
              - name: sync
                kind: parallel
                branches:
                  - name: a
                    steps:
                      - {name: a1, kind: run, host: old, command: "true", undo: {kind: run, host: old, command: "false"}}
        """;

    // when it loads, then the undo is refused as on any step of the phase
    assertThat(problems(plan))
        .singleElement()
        .asString()
        .contains(
            "phases.presync.steps[0].branches[0].steps[0].undo: a step in phase presync repeats every round and cannot have an undo");
  }

  static List<String> problems(String plan) {
    InvalidPlanException e =
        catchThrowableOfType(InvalidPlanException.class, () -> PlanLoader.parse("shop.yaml", plan));
    assertThat(e).as("the plan should not load").isNotNull();
    return e.problems().stream().map(PlanProblem::format).toList();
  }
}
