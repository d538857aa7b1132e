package dev.cutover.steps.pgswitch;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The {@code pg-switch} step: the critical section of a database move as one activity, so it pays
 * no orchestration round trip, SSH session set-up or JVM start while writes are frozen. Everything
 * it needs (JDBC sessions to both databases, the hold, the hosts of the {@code inside} commands) is
 * prepared before the freeze; the freeze, catch-up, sequence copy, end of the subscription, repoint
 * and release then run back to back against a deadline, timed from inside.
 *
 * <p>A retry (the worker died inside the section) reads what is durable on the servers: the
 * subscription still on the target means the commit point was not passed, so the freeze is undone
 * and the section starts over; the subscription gone means it was, so the switch is finished
 * (sequences again, hold pointed at the target and released). Old serving, or new fully switched:
 * never half.
 */
@ActivityInterface
public interface PgSwitchActivities {
  /** Switches clients and writes from the request's {@code from} database to its {@code to}. */
  @ActivityMethod(name = "PgSwitchOver")
  PgSwitchResult switchOver(PgSwitchRequest request);

  /**
   * The way back after a switch: the same section in the other direction, through the replication
   * back that started at the switch instant, so nothing written on the new database is lost.
   */
  @ActivityMethod(name = "PgSwitchBack")
  PgSwitchResult switchBack(PgSwitchBackRequest request);
}
