package dev.cutover.workflow;

import dev.cutover.preflight.PreflightActivities;
import dev.cutover.preflight.PreflightCheck;
import dev.cutover.preflight.PreflightReport;
import dev.cutover.preflight.PreflightRequest;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.dns.DnsActivities;
import dev.cutover.steps.dns.DnsChangeResult;
import dev.cutover.steps.dns.DnsReadRequest;
import dev.cutover.steps.dns.DnsRecordState;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsSetRequest;
import dev.cutover.steps.dns.DnsTtlRequest;
import dev.cutover.steps.dns.DnsWaitRequest;
import dev.cutover.steps.dns.DnsWaitResult;
import dev.cutover.steps.http.HttpCheckActivities;
import dev.cutover.steps.http.HttpCheckRequest;
import dev.cutover.steps.http.HttpCheckResult;
import dev.cutover.steps.http.TlsCheckRequest;
import dev.cutover.steps.http.TlsCheckResult;
import dev.cutover.steps.proxy.ProxyRestoreRequest;
import dev.cutover.steps.proxy.ProxyRestoreResult;
import dev.cutover.steps.proxy.ProxySwitchActivities;
import dev.cutover.steps.proxy.ProxySwitchRequest;
import dev.cutover.steps.proxy.ProxySwitchResult;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake of the traffic step kinds for workflow-logic tests: DNS against an in-memory zone that
 * behaves as the {@link DnsActivities} contract says (idempotent, refuses an unexpected value
 * before changing anything), nginx switch and HTTP/TLS checks that answer from scripts. Each call
 * is one line in {@link #calls}; requests are kept. The real activities are tested against BIND and
 * nginx in the activities module.
 */
class TrafficStepsFake
    implements DnsActivities, ProxySwitchActivities, HttpCheckActivities, PreflightActivities {
  /** A new record gets this TTL when the request names none, as the contract says. */
  static final Duration NEW_RECORD_TTL = Duration.ofSeconds(300);

  static final String ZONE = "example.org";
  static final List<String> SERVERS = List.of("ns1.example.org", "ns2.example.org");

  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<Object> requests = new CopyOnWriteArrayList<>();
  final List<PreflightRequest> preflights = new CopyOnWriteArrayList<>();

  /** The zone: "name TYPE" to the record. */
  final Map<String, Rec> zone = new ConcurrentHashMap<>();

  /**
   * Names ("name TYPE") whose next setRecord applies the change and then fails retryably, as a
   * worker that dies after the update reached the server: the retry finds the change made.
   */
  final Set<String> failAfterApplying = ConcurrentHashMap.newKeySet();

  /**
   * Names ("name TYPE") whose waits never see the new answer (a secondary that stopped taking
   * transfers).
   */
  final Set<String> neverAnswered = ConcurrentHashMap.newKeySet();

  /** How many http checks fail with CheckFailed before one passes. */
  final AtomicInteger httpFailures = new AtomicInteger();

  final AtomicInteger httpCalls = new AtomicInteger();

  record Rec(List<String> values, Duration ttl) {}

  TrafficStepsFake record(String name, DnsRecordType type, Duration ttl, String... values) {
    zone.put(key(name, type), new Rec(List.of(values), ttl));
    return this;
  }

  Rec get(String name, DnsRecordType type) {
    return zone.get(key(name, type));
  }

  /** The calls that changed something or would have, in order: what undo order is judged by. */
  List<String> changes() {
    return calls.stream()
        .filter(
            c ->
                c.startsWith("ttl ")
                    || c.startsWith("set ")
                    || c.startsWith("switch ")
                    || c.startsWith("restore "))
        .toList();
  }

  <T> List<T> requests(Class<T> type) {
    return requests.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static String key(String name, DnsRecordType type) {
    return name + " " + type;
  }

  // --- preflight ------------------------------------------------------------------------------

  @Override
  public PreflightReport check(PreflightRequest r) {
    preflights.add(r);
    calls.add("preflight");
    return new PreflightReport(
        List.of(new PreflightCheck("ns1.example.org", "zone served", true, ZONE)));
  }

  // --- dns ------------------------------------------------------------------------------------

  @Override
  public DnsRecordState readRecord(DnsReadRequest r) {
    requests.add(r);
    calls.add("read " + r.name() + " " + r.type());
    Rec rec = get(r.name(), r.type());
    return rec == null
        ? new DnsRecordState(ZONE, r.name(), r.type(), false, List.of(), null, SERVERS)
        : new DnsRecordState(ZONE, r.name(), r.type(), true, rec.values(), rec.ttl(), SERVERS);
  }

  @Override
  public DnsChangeResult setTtl(DnsTtlRequest r) {
    requests.add(r);
    Rec rec = get(r.name(), r.type());
    if (rec == null) {
      calls.add("ttl " + r.name() + " " + r.type() + " refused");
      throw ApplicationFailure.newNonRetryableFailure(
          "step "
              + r.step()
              + ": "
              + r.name()
              + " "
              + r.type()
              + " does not exist, so it has no TTL to change",
          CutoverErrors.STATE_CONFLICT);
    }
    boolean changed = !rec.ttl().equals(r.ttl());
    calls.add(
        "ttl "
            + r.name()
            + " "
            + r.type()
            + " "
            + r.ttl().toSeconds()
            + "s"
            + (changed ? "" : " already so"));
    zone.put(key(r.name(), r.type()), new Rec(rec.values(), r.ttl()));
    return new DnsChangeResult(
        ZONE, r.name(), r.type(), true, rec.values(), rec.ttl(), rec.values(), r.ttl(), changed);
  }

  @Override
  public DnsChangeResult setRecord(DnsSetRequest r) {
    requests.add(r);
    String key = key(r.name(), r.type());
    Rec rec = zone.get(key);
    List<String> now = rec == null ? List.of() : rec.values();
    String line =
        "set "
            + r.name()
            + " "
            + r.type()
            + " "
            + (r.values().isEmpty() ? "(removed)" : String.join(",", r.values()));
    if (same(now, r.values())) {
      calls.add(line + " already so");
      return new DnsChangeResult(
          ZONE,
          r.name(),
          r.type(),
          rec != null,
          now,
          rec == null ? null : rec.ttl(),
          now,
          rec == null ? null : rec.ttl(),
          false);
    }
    if (!r.expectedValues().isEmpty() && !same(now, r.expectedValues())) {
      calls.add(line + " refused");
      throw ApplicationFailure.newNonRetryableFailure(
          "step "
              + r.step()
              + ": "
              + r.name()
              + " "
              + r.type()
              + " holds "
              + (now.isEmpty() ? "nothing" : String.join(", ", now))
              + ", expected "
              + String.join(", ", r.expectedValues())
              + " or "
              + String.join(", ", r.values())
              + "; nothing changed: check who changed it, then decide retry or skip",
          CutoverErrors.STATE_CONFLICT);
    }
    calls.add(line);
    Duration ttl = r.ttl() != null ? r.ttl() : rec != null ? rec.ttl() : NEW_RECORD_TTL;
    if (r.values().isEmpty()) {
      zone.remove(key);
    } else {
      zone.put(key, new Rec(r.values(), ttl));
    }
    if (failAfterApplying.remove(key)) {
      throw ApplicationFailure.newFailure(
          "step " + r.step() + ": ns1.example.org stopped answering after the update",
          CutoverErrors.DNS_UNREACHABLE);
    }
    return new DnsChangeResult(
        ZONE,
        r.name(),
        r.type(),
        rec != null,
        now,
        rec == null ? null : rec.ttl(),
        r.values(),
        r.values().isEmpty() ? null : ttl,
        true);
  }

  @Override
  public DnsWaitResult waitForAnswer(DnsWaitRequest r) {
    requests.add(r);
    calls.add("wait " + r.name() + " " + r.type());
    Rec rec = get(r.name(), r.type());
    List<String> now = rec == null ? List.of() : rec.values();
    if (neverAnswered.contains(r.name() + " " + r.type())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + r.step() + ": ns2 still answers the old value", CutoverErrors.DNS_UNREACHABLE);
    }
    if (!same(now, r.values()) || (r.ttl() != null && rec != null && !r.ttl().equals(rec.ttl()))) {
      throw ApplicationFailure.newFailure(
          "step " + r.step() + ": servers answer " + now + ", waiting for " + r.values(),
          CutoverErrors.DNS_UNREACHABLE);
    }
    return new DnsWaitResult(SERVERS, 0);
  }

  private static boolean same(List<String> a, List<String> b) {
    return new HashSet<>(a).equals(new HashSet<>(b));
  }

  // --- proxy ----------------------------------------------------------------------------------

  @Override
  public ProxySwitchResult switchToNew(ProxySwitchRequest r) {
    requests.add(r);
    calls.add("switch " + r.hostName() + " " + r.sitePath() + " -> " + r.upstream());
    return new ProxySwitchResult(
        r.sitePath(),
        true,
        "old-sha",
        r.sitePath() + ".cutover-" + r.step() + ".orig",
        r.enabledPath(),
        false,
        "new-sha",
        true);
  }

  @Override
  public ProxyRestoreResult restore(ProxyRestoreRequest r) {
    requests.add(r);
    calls.add("restore " + r.hostName() + " " + r.switched().sitePath());
    return new ProxyRestoreResult(
        r.switched().sitePath(),
        r.switched().previousExisted(),
        r.switched().previousSha256(),
        true);
  }

  // --- checks ---------------------------------------------------------------------------------

  @Override
  public HttpCheckResult http(HttpCheckRequest r) {
    requests.add(r);
    httpCalls.incrementAndGet();
    calls.add("http " + r.url());
    String address = r.resolve().getOrDefault(java.net.URI.create(r.url()).getHost(), "192.0.2.10");
    if (httpFailures.getAndDecrement() > 0) {
      HttpCheckResult bad = new HttpCheckResult(502, address, false, "<html>Bad Gateway</html>", 3);
      throw ApplicationFailure.newFailureWithCause(
          r.url() + " answered 502, expected 200; body: <html>Bad Gateway</html>",
          CHECK_FAILED,
          null,
          bad);
    }
    return new HttpCheckResult(200, address, true, "{\"status\": \"ok\"}", 3);
  }

  @Override
  public TlsCheckResult tls(TlsCheckRequest r) {
    requests.add(r);
    calls.add("tls " + r.name() + ":" + r.port());
    return new TlsCheckResult(
        "CN=" + r.name(),
        "CN=Test CA",
        List.of(r.name()),
        Instant.parse("2025-01-01T00:00:00Z"),
        Instant.parse("2035-01-01T00:00:00Z"),
        3000,
        true,
        true);
  }
}
