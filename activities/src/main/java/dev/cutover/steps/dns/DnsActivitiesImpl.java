package dev.cutover.steps.dns;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.secrets.SecretResolver;
import java.time.Duration;

/**
 * The DNS step kinds as Temporal activities, on RFC 2136 servers ({@link Rfc2136Records}) or hosts
 * files ({@link HostsFileRecords}); {@link DnsChanges} and {@link DnsWaiter} hold the logic common
 * to both. Values in requests and results are in {@link DnsValues canonical text}.
 */
public class DnsActivitiesImpl implements DnsActivities {
  /** How long one DNS query or update may take before the server counts as not answering. */
  static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

  private final DnsProviders providers;

  /**
   * @param secrets resolves the TSIG secret references, in the worker only
   * @param shells reach the hosts whose hosts files the hosts-file provider edits
   */
  public DnsActivitiesImpl(SecretResolver secrets, HostShells shells) {
    this(secrets, shells, QUERY_TIMEOUT);
  }

  DnsActivitiesImpl(SecretResolver secrets, HostShells shells, Duration queryTimeout) {
    this.providers = new DnsProviders(secrets, shells, queryTimeout);
  }

  @Override
  public DnsRecordState readRecord(DnsReadRequest request) {
    return ShellFailures.inStep(
        request.step(),
        () ->
            DnsChanges.read(
                providers.records(request.step(), request.target()),
                request.name(),
                DnsProviders.requireType(request.step(), request.type())));
  }

  @Override
  public DnsChangeResult setTtl(DnsTtlRequest request) {
    return ShellFailures.inStep(
        request.step(),
        () ->
            DnsChanges.setTtl(
                providers.records(request.step(), request.target()),
                request.step(),
                request.name(),
                DnsProviders.requireType(request.step(), request.type()),
                request.ttl()));
  }

  @Override
  public DnsChangeResult setRecord(DnsSetRequest request) {
    return ShellFailures.inStep(
        request.step(),
        () ->
            DnsChanges.setRecord(
                providers.records(request.step(), request.target()),
                request.step(),
                request.name(),
                DnsProviders.requireType(request.step(), request.type()),
                request.values(),
                request.ttl(),
                request.expectedValues()));
  }

  @Override
  public DnsWaitResult waitForAnswer(DnsWaitRequest request) {
    return waitForAnswer(request, Heartbeat.ofActivity());
  }

  /**
   * The wait; {@code heartbeat} gets each round's answers and throws when Temporal asks to stop.
   */
  DnsWaitResult waitForAnswer(DnsWaitRequest request, Heartbeat<DnsWaitProgress> heartbeat) {
    return ShellFailures.inStep(
        request.step(),
        () ->
            DnsWaiter.waitFor(
                providers.records(request.step(), request.target()), request, heartbeat));
  }
}
