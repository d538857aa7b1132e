package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PlanOutlineTest {

  @Test
  void aGroupsNestedStepsFollowItInPlanOrderEachInItsLane() throws Exception {
    // given a plan whose downtime has a parallel group of two branches between two steps
    var plan =
        new ObjectMapper()
            .readTree(
                """
                {"migration": "newroco", "phases": {"downtime": {"steps": [
                  {"name": "stop-apps", "kind": "RUN", "host": "old"},
                  {"name": "copy-databases", "kind": "PARALLEL", "branches": [
                    {"name": "finance", "steps": [
                      {"name": "copy-finance", "kind": "PG_COPY", "from": "old", "to": "new"},
                      {"name": "check-finance", "kind": "SQL_CHECK"}]},
                    {"name": "hr", "steps": [{"name": "copy-hr", "kind": "PG_COPY"}]}]},
                  {"name": "start-apps", "kind": "RUN", "host": "new"}]}}}
                """);
    Timeline t = new Timeline();

    // when the report reads it
    PlanOutline.read(plan, t);

    // then every step is listed in plan order, and the nested ones name their group and branch
    assertThat(t.steps.keySet())
        .containsExactly(
            "stop-apps",
            "copy-databases",
            "copy-finance",
            "check-finance",
            "copy-hr",
            "start-apps");
    assertThat(t.steps.get("copy-finance").plan.group()).isEqualTo("copy-databases");
    assertThat(t.steps.get("copy-finance").plan.branch()).isEqualTo("finance");
    assertThat(t.steps.get("copy-finance").plan.place()).isEqualTo("old → new");
    assertThat(t.steps.get("copy-hr").plan.branch()).isEqualTo("hr");
    assertThat(t.steps.get("start-apps").plan.group()).isNull();
  }
}
