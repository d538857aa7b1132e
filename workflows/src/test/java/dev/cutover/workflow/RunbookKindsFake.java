package dev.cutover.workflow;

import dev.cutover.steps.pgdatabase.PgDatabaseActivities;
import dev.cutover.steps.pgdatabase.PgDatabaseDropResult;
import dev.cutover.steps.pgdatabase.PgDatabaseRequest;
import dev.cutover.steps.pgdatabase.PgDatabaseResult;
import dev.cutover.steps.reboot.RebootActivities;
import dev.cutover.steps.reboot.RebootRequest;
import dev.cutover.steps.reboot.RebootResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Fakes of the pg-database and reboot activities, recording what they were asked. */
class RunbookKindsFake implements PgDatabaseActivities, RebootActivities {
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<Object> requests = new CopyOnWriteArrayList<>();

  @Override
  public PgDatabaseResult create(PgDatabaseRequest r) {
    calls.add("pg-database " + r.step() + " " + r.server().database() + " " + r.owner());
    requests.add(r);
    return new PgDatabaseResult(
        r.server().database(), r.owner(), true, true, r.ownerPasswordSecret() != null, "UTF8");
  }

  @Override
  public PgDatabaseDropResult drop(PgDatabaseRequest r) {
    calls.add("pg-database-drop " + r.step() + " " + r.server().database() + " " + r.owner());
    return new PgDatabaseDropResult(true, true, null);
  }

  @Override
  public RebootResult reboot(RebootRequest r) {
    calls.add("reboot " + r.step() + " " + r.hostName());
    requests.add(r);
    return new RebootResult(
        "6f1c1a4e-1d2b-4f55-9a57-0c6d1e4c2b10",
        "b0a7d5c2-88e1-4f0e-a3d9-51c4f6e7a812",
        47_000,
        true);
  }

  <T> List<T> requests(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
