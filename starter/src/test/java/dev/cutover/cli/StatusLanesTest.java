package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.workflow.StepState;
import dev.cutover.workflow.StepStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusLanesTest {

  @Test
  void aGroupsBranchesReadAsLanesSideBySideWithTheirStepsInOrder() {
    // given a group of two branches: finance copied and checking, hr blocked on its copy
    List<StepStatus> steps =
        List.of(
            StepStatus.pending("downtime", "stop-apps", "run", "old", null)
                .withState(StepState.SUCCEEDED),
            StepStatus.pending("downtime", "copy-databases", "parallel", null, null)
                .withState(StepState.RUNNING),
            nested("copy-finance", "finance", StepState.SUCCEEDED),
            nested("check-finance", "finance", StepState.RUNNING),
            nested("copy-hr", "hr", StepState.BLOCKED),
            nested("check-hr", "hr", StepState.PENDING));

    // when status renders the lanes
    StringBuilder out = new StringBuilder();
    StatusLanes.append(out, steps);

    // then each branch is one line with its steps in order, and steps outside the group are absent
    assertThat(out.toString())
        .isEqualTo(
            "\nLanes of copy-databases (2 branches side by side):\n"
                + "  finance  copy-finance succeeded -> check-finance running\n"
                + "  hr       copy-hr blocked -> check-hr pending\n");
  }

  @Test
  void aPlanWithoutGroupsShowsNoLanes() {
    StringBuilder out = new StringBuilder();

    StatusLanes.append(out, List.of(StepStatus.pending("downtime", "stop", "run", "old", null)));

    assertThat(out.toString()).isEmpty();
  }

  private static StepStatus nested(String name, String branch, StepState state) {
    return StepStatus.pending("downtime", name, "run", "old", null, "copy-databases", branch)
        .withState(state);
  }
}
