package dev.cutover.workflow;

import dev.cutover.steps.pgswitch.PgSwitchActivities;
import dev.cutover.steps.pgswitch.PgSwitchBackRequest;
import dev.cutover.steps.pgswitch.PgSwitchRequest;
import dev.cutover.steps.pgswitch.PgSwitchResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake of the pg-switch activities for workflow-logic tests; the real section runs against real
 * PostgreSQL servers in the activities module.
 */
class PgSwitchFake implements PgSwitchActivities {
  final List<PgSwitchRequest> switches = new CopyOnWriteArrayList<>();
  final List<PgSwitchBackRequest> backs = new CopyOnWriteArrayList<>();

  @Override
  public PgSwitchResult switchOver(PgSwitchRequest request) {
    switches.add(request);
    return new PgSwitchResult(
        410,
        "0/3A0F2C8",
        3,
        List.of("shop@10.0.0.9 (rails)"),
        1,
        "pgbouncer on old:6432",
        false,
        false,
        request.reversePublication(),
        request.reverseSubscription(),
        null);
  }

  @Override
  public PgSwitchResult switchBack(PgSwitchBackRequest request) {
    backs.add(request);
    return new PgSwitchResult(
        120, "0/3A10000", 3, List.of(), 0, null, false, false, null, null, null);
  }
}
