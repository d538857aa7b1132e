package dev.cutover.steps.dns;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The DNS step kinds, {@code dns-ttl} and {@code dns-set}, and the reads and waits around them.
 *
 * <p>Providers ({@link dev.cutover.plan.DnsProvider}: RFC 2136 servers, hosts files) sit behind
 * these methods; the request's {@link DnsTarget} says which. Implementations must be idempotent: a
 * TTL or value the record already has is left as it is and reported with {@code changed = false}.
 * Because a retry after a worker crash may find its change already made, the workflow reads the
 * record with {@link #readRecord} before the first change and keeps that state as the one to
 * restore. Every update is signed with the TSIG key (RFC 2136), whose secret is resolved inside the
 * worker only. Non-retryable errors (a zone the server does not serve, a key it refuses, a record
 * that is not what the plan expects before the change) raise {@link
 * io.temporal.failure.ApplicationFailure} with the types in {@link dev.cutover.steps.CutoverErrors}
 * ({@code DnsZoneNotServed}, {@code DnsKeyRefused}, {@code DnsUpdateRefused}, {@code
 * StateConflict}), before anything is changed; a server that does not answer is retryable ({@code
 * DnsServerUnreachable}).
 */
@ActivityInterface
public interface DnsActivities {
  /** Reads a record and its TTL from the zone's authoritative servers. */
  @ActivityMethod(name = "DnsReadRecord")
  DnsRecordState readRecord(DnsReadRequest request);

  /**
   * {@code dns-ttl}: changes the TTL of a record, keeping its values. The result keeps the previous
   * TTL, which the workflow waits out before any switch and restores in the finish phase.
   */
  @ActivityMethod(name = "DnsSetTtl")
  DnsChangeResult setTtl(DnsTtlRequest request);

  /**
   * {@code dns-set}: replaces the record's value. The result keeps the previous value and TTL for
   * the undo.
   */
  @ActivityMethod(name = "DnsSetRecord")
  DnsChangeResult setRecord(DnsSetRequest request);

  /**
   * Waits until every authoritative server answers the expected value, heartbeating {@link
   * DnsWaitProgress}; the activity's timeout bounds the wait.
   */
  @ActivityMethod(name = "DnsWaitForAnswer")
  DnsWaitResult waitForAnswer(DnsWaitRequest request);
}
