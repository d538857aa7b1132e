package dev.cutover.steps.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.plan.DnsProvider;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.BindTestServer;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rfc2136 provider against real BIND 9: a primary taking signed updates and a secondary fed by
 * NOTIFY and transfer.
 */
@RealTools
class DnsRfc2136Test {
  static BindTestServer bind;
  static String wrongSecret;
  static DnsActivitiesImpl dns;

  @BeforeAll
  static void start() {
    bind =
        BindTestServer.start(
            List.of(
                "www 3600 IN A 192.0.2.10",
                "www 3600 IN A 192.0.2.11",
                "ttl 3600 IN A 192.0.2.20",
                "flip 600 IN A 192.0.2.30",
                "v6 600 IN AAAA 2001:db8::30",
                "alias 600 IN CNAME old-lb.example.net.",
                "guarded 600 IN A 192.0.2.40",
                "refused 600 IN A 192.0.2.50"),
            true);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    wrongSecret = Base64.getEncoder().encodeToString(random);
    SecretResolver secrets =
        new SecretResolver(
            Map.of(
                "TSIG",
                bind.updateSecret(),
                "OTHER_TSIG",
                bind.otherSecret(),
                "WRONG_TSIG",
                wrongSecret));
    dns =
        new DnsActivitiesImpl(
            secrets, new HostShells(new NoSshTransport(), Set.of()), Duration.ofSeconds(2));
  }

  @AfterAll
  static void stop() {
    if (bind != null) {
      bind.close();
    }
  }

  static DnsTarget target() {
    return bind.target(BindTestServer.UPDATE_KEY, "env:TSIG");
  }

  static DnsWaitRequest waitFor(
      String name, DnsRecordType type, List<String> values, Duration ttl) {
    return new DnsWaitRequest("wait", target(), name, type, values, ttl, Duration.ofMillis(100));
  }

  static DnsWaitResult awaitOnBoth(
      String name, DnsRecordType type, List<String> values, Duration ttl) {
    return dns.waitForAnswer(waitFor(name, type, values, ttl), p -> {});
  }

  @Test
  void readsTheRecordFromPrimaryAndSecondaryWhateverHowTheNameIsWritten() {
    // given a round-robin A record on both servers
    // when it is read by relative, absolute and dotted names
    DnsRecordState relative =
        dns.readRecord(new DnsReadRequest("read", target(), "www", DnsRecordType.A));
    DnsRecordState absolute =
        dns.readRecord(new DnsReadRequest("read", target(), "www.cutover.test", DnsRecordType.A));
    DnsRecordState dotted =
        dns.readRecord(new DnsReadRequest("read", target(), "WWW.cutover.test.", DnsRecordType.A));
    DnsRecordState missing =
        dns.readRecord(new DnsReadRequest("read", target(), "nothing-here", DnsRecordType.A));

    // then every form names the same record, with both values sorted and the TTL, answered by both
    // servers
    assertThat(relative).isEqualTo(absolute).isEqualTo(dotted);
    assertThat(relative.name()).isEqualTo("www.cutover.test");
    assertThat(relative.zone()).isEqualTo("cutover.test");
    assertThat(relative.exists()).isTrue();
    assertThat(relative.values()).containsExactly("192.0.2.10", "192.0.2.11");
    assertThat(relative.ttl()).isEqualTo(Duration.ofHours(1));
    assertThat(relative.servers()).containsExactly(bind.primary(), bind.secondary());
    assertThat(missing.exists()).isFalse();
    assertThat(missing.values()).isEmpty();
    assertThat(missing.ttl()).isNull();
  }

  @Test
  void ttlIsLoweredOnBothServersAndASecondCallChangesNothing() {
    // given a record with a TTL of an hour
    DnsTtlRequest lower =
        new DnsTtlRequest("lower-ttl", target(), "ttl", DnsRecordType.A, Duration.ofSeconds(60));

    // when its TTL is lowered, twice
    DnsChangeResult first = dns.setTtl(lower);
    DnsChangeResult second = dns.setTtl(lower);

    // then the first call changed it, kept the values and the previous TTL; both servers answer the
    // new TTL; the second changed nothing
    assertThat(first.changed()).isTrue();
    assertThat(first.previousTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(first.values()).containsExactly("192.0.2.20");
    assertThat(first.ttl()).isEqualTo(Duration.ofSeconds(60));
    awaitOnBoth("ttl", DnsRecordType.A, List.of("192.0.2.20"), Duration.ofSeconds(60));
    assertThat(second.changed()).isFalse();
    assertThat(second.previousTtl()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void ttlOfAMissingRecordIsAStateConflict() {
    // given a name without an A record
    // when its TTL is set
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setTtl(
                    new DnsTtlRequest(
                        "lower-ttl",
                        target(),
                        "absent-ttl",
                        DnsRecordType.A,
                        Duration.ofSeconds(60))));

    // then the step stops without retry, naming the record
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("step lower-ttl")
        .contains("absent-ttl.cutover.test A does not exist");
  }

  @Test
  void aRecordIsFlippedSeenOnBothServersAndPutBack() {
    // given an A record the plan expects at its old address
    DnsSetRequest flip =
        new DnsSetRequest(
            "switch",
            target(),
            "flip",
            DnsRecordType.A,
            List.of("198.51.100.30"),
            null,
            List.of("192.0.2.30"));
    List<DnsWaitProgress> beats = new CopyOnWriteArrayList<>();

    // when it is switched and the step waits for every server
    DnsChangeResult result = dns.setRecord(flip);
    DnsWaitResult waited =
        dns.waitForAnswer(
            waitFor("flip", DnsRecordType.A, List.of("198.51.100.30"), null), beats::add);
    DnsChangeResult again = dns.setRecord(flip);

    // then both servers answer the new address with the TTL kept, the result keeps the old state
    // for the undo, and a retry changes nothing
    assertThat(result.changed()).isTrue();
    assertThat(result.previousExisted()).isTrue();
    assertThat(result.previousValues()).containsExactly("192.0.2.30");
    assertThat(result.previousTtl()).isEqualTo(Duration.ofSeconds(600));
    assertThat(result.values()).containsExactly("198.51.100.30");
    assertThat(result.ttl()).isEqualTo(Duration.ofSeconds(600));
    assertThat(waited.servers()).containsExactly(bind.primary(), bind.secondary());
    assertThat(beats)
        .last()
        .satisfies(
            p -> {
              assertThat(p.pending()).isEmpty();
              assertThat(p.answers()).containsEntry(bind.secondary(), List.of("198.51.100.30"));
            });
    assertThat(again.changed()).isFalse();

    // and when the undo puts the previous values back, expecting the new ones
    DnsChangeResult undo =
        dns.setRecord(
            new DnsSetRequest(
                "switch-undo",
                target(),
                "flip",
                DnsRecordType.A,
                result.previousValues(),
                result.previousTtl(),
                result.values()));

    // then both servers answer the old address again
    assertThat(undo.changed()).isTrue();
    awaitOnBoth("flip", DnsRecordType.A, List.of("192.0.2.30"), Duration.ofSeconds(600));
  }

  @Test
  void aaaaAndCnameAreChangedTooInCanonicalText() {
    // given an AAAA and a CNAME record
    // when each is switched, the plan writing values in a non-canonical form
    DnsChangeResult v6 =
        dns.setRecord(
            new DnsSetRequest(
                "switch-v6",
                target(),
                "v6",
                DnsRecordType.AAAA,
                List.of("2001:DB8:0:0:0:0:0:31"),
                Duration.ofSeconds(120),
                List.of("2001:db8::30")));
    DnsChangeResult alias =
        dns.setRecord(
            new DnsSetRequest(
                "switch-alias",
                target(),
                "alias.cutover.test.",
                DnsRecordType.CNAME,
                List.of("New-LB.example.net."),
                null,
                List.of("old-lb.example.net")));

    // then both servers answer the new values in canonical text (compressed IPv6, CNAME target
    // without the final dot)
    assertThat(v6.values()).containsExactly("2001:db8::31");
    assertThat(v6.ttl()).isEqualTo(Duration.ofSeconds(120));
    assertThat(alias.previousValues()).containsExactly("old-lb.example.net");
    assertThat(alias.values()).containsExactly("new-lb.example.net");
    awaitOnBoth("v6", DnsRecordType.AAAA, List.of("2001:db8::31"), Duration.ofSeconds(120));
    awaitOnBoth(
        "alias", DnsRecordType.CNAME, List.of("new-lb.example.net"), Duration.ofSeconds(600));
  }

  @Test
  void aRecordIsCreatedWithTheDefaultTtlAndDeletedByEmptyValues() {
    // given a name without a record
    // when a record is created there, then removed (the undo of a record that did not exist)
    DnsChangeResult created =
        dns.setRecord(
            new DnsSetRequest(
                "add",
                target(),
                "fresh",
                DnsRecordType.A,
                List.of("203.0.113.7"),
                null,
                List.of()));
    awaitOnBoth("fresh", DnsRecordType.A, List.of("203.0.113.7"), Duration.ofSeconds(300));
    DnsChangeResult deleted =
        dns.setRecord(
            new DnsSetRequest(
                "add-undo", target(), "fresh", DnsRecordType.A, List.of(), null, created.values()));
    DnsChangeResult deletedAgain =
        dns.setRecord(
            new DnsSetRequest(
                "add-undo", target(), "fresh", DnsRecordType.A, List.of(), null, created.values()));

    // then it existed with 300s in between, is gone from both servers, and the second removal
    // changed nothing
    assertThat(created.previousExisted()).isFalse();
    assertThat(created.previousTtl()).isNull();
    assertThat(created.ttl()).isEqualTo(Duration.ofSeconds(300));
    assertThat(deleted.changed()).isTrue();
    assertThat(deleted.previousValues()).containsExactly("203.0.113.7");
    assertThat(deleted.values()).isEmpty();
    awaitOnBoth("fresh", DnsRecordType.A, List.of(), null);
    assertThat(deletedAgain.changed()).isFalse();
  }

  @Test
  void anUnexpectedValueStopsTheStepAndLeavesTheZoneAsItWas() {
    // given a record that holds neither what the plan expects nor the new value
    long serial = bind.primarySerial();

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setRecord(
                    new DnsSetRequest(
                        "switch",
                        target(),
                        "guarded",
                        DnsRecordType.A,
                        List.of("198.51.100.40"),
                        null,
                        List.of("192.0.2.99"))));

    // then it stops without retry, saying what the record holds and what the plan expected, and
    // nothing changed
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("guarded.cutover.test A")
        .contains("holds 192.0.2.40")
        .contains("expects 192.0.2.99");
    assertThat(
            dns.readRecord(new DnsReadRequest("read", target(), "guarded", DnsRecordType.A))
                .values())
        .containsExactly("192.0.2.40");
    assertThat(bind.primarySerial()).isEqualTo(serial);
  }

  @Test
  void aChangeMadeBetweenReadAndUpdateIsRefusedByThePrerequisite() {
    // given the record as read before someone else changed it
    Rfc2136Records records =
        new Rfc2136Records(
            "switch",
            target(),
            new SecretResolver(Map.of("TSIG", bind.updateSecret())),
            Duration.ofSeconds(2));
    DnsRrset stale = new DnsRrset(true, List.of("192.0.2.254"), Duration.ofSeconds(600));

    // when an update is sent on the stale state
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                records.replace(
                    bind.primary(),
                    "guarded.cutover.test",
                    DnsRecordType.A,
                    stale,
                    new DnsRrset(true, List.of("198.51.100.41"), Duration.ofSeconds(600))));

    // then the server refuses it (NXRRSET) and the record is unchanged
    assertThat(failure.getType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(failure.getOriginalMessage()).contains("changed on DNS server").contains("NXRRSET");
    assertThat(records.answer(bind.primary(), "guarded.cutover.test", DnsRecordType.A).values())
        .containsExactly("192.0.2.40");
  }

  @Test
  void aWrongSecretIsRefusedWithoutRetryAndTheMessageHoldsNoSecret() {
    // given the update key with a wrong secret
    DnsTarget wrong = bind.target(BindTestServer.UPDATE_KEY, "env:WRONG_TSIG");

    // when a change is sent
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setRecord(
                    new DnsSetRequest(
                        "switch",
                        wrong,
                        "refused",
                        DnsRecordType.A,
                        List.of("198.51.100.50"),
                        null,
                        List.of())));

    // then the key is refused, naming key and server, never a secret
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DNS_KEY_REFUSED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(BindTestServer.UPDATE_KEY)
        .contains(bind.primary())
        .contains("BADSIG")
        .contains("env:WRONG_TSIG")
        .doesNotContain(wrongSecret)
        .doesNotContain(bind.updateSecret());
  }

  @Test
  void aKeyUnknownToTheServerIsRefused() {
    // given a key name the server does not know
    DnsTarget unknown = bind.target("no-such-key", "env:TSIG");

    // when a change is sent
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setRecord(
                    new DnsSetRequest(
                        "switch",
                        unknown,
                        "refused",
                        DnsRecordType.A,
                        List.of("198.51.100.50"),
                        null,
                        List.of())));

    // then it is refused as BADKEY
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DNS_KEY_REFUSED);
    assertThat(failure.getOriginalMessage())
        .contains("no-such-key")
        .contains("BADKEY")
        .doesNotContain(bind.updateSecret());
  }

  @Test
  void aKeyWithoutUpdateRightsIsRefusedAndNothingChanges() {
    // given a key the server knows but whose policy grants nothing
    DnsTarget other = bind.target(BindTestServer.OTHER_KEY, "env:OTHER_TSIG");

    // when a change is sent
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setRecord(
                    new DnsSetRequest(
                        "switch",
                        other,
                        "refused",
                        DnsRecordType.A,
                        List.of("198.51.100.50"),
                        null,
                        List.of())));

    // then the update is refused without retry, and the record is as it was
    assertThat(failure.getType()).isEqualTo(CutoverErrors.DNS_UPDATE_REFUSED);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains(BindTestServer.OTHER_KEY)
        .contains("refused.cutover.test A");
    assertThat(
            dns.readRecord(new DnsReadRequest("read", target(), "refused", DnsRecordType.A))
                .values())
        .containsExactly("192.0.2.50");
  }

  @Test
  void aZoneTheServersDoNotServeStopsBeforeAnythingChanges() {
    // given a target naming a zone the servers do not serve
    DnsTarget elsewhere =
        new DnsTarget(
            "bind",
            DnsProvider.RFC2136,
            "elsewhere.test",
            bind.servers(),
            BindTestServer.UPDATE_KEY,
            BindTestServer.ALGORITHM,
            "env:TSIG",
            List.of());
    long serial = bind.primarySerial();

    // when a record of it is read or changed
    ApplicationFailure read =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> dns.readRecord(new DnsReadRequest("read", elsewhere, "www", DnsRecordType.A)));
    ApplicationFailure change =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setRecord(
                    new DnsSetRequest(
                        "switch",
                        elsewhere,
                        "www",
                        DnsRecordType.A,
                        List.of("198.51.100.1"),
                        null,
                        List.of())));

    // then both stop without retry, naming server and zone, and the served zone is unchanged
    for (ApplicationFailure failure : List.of(read, change)) {
      assertThat(failure.getType()).isEqualTo(CutoverErrors.DNS_ZONE_NOT_SERVED);
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getOriginalMessage())
          .contains(bind.primary())
          .contains("does not serve zone elsewhere.test")
          .contains("REFUSED");
    }
    assertThat(bind.primarySerial()).isEqualTo(serial);
  }

  @Test
  void aNameOutsideTheZoneOrABadValueIsInvalidConfig() {
    // given a name in another zone and a value that is no address
    // when they are used
    ApplicationFailure outside =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.readRecord(
                    new DnsReadRequest("read", target(), "www.example.org.", DnsRecordType.A)));
    ApplicationFailure value =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setRecord(
                    new DnsSetRequest(
                        "switch",
                        target(),
                        "flip",
                        DnsRecordType.A,
                        List.of("2001:db8::1"),
                        null,
                        List.of())));

    // then both are configuration errors that say what is wrong
    assertThat(outside.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(outside.getOriginalMessage()).contains("not in zone cutover.test");
    assertThat(value.getType()).isEqualTo(CutoverErrors.INVALID_CONFIG);
    assertThat(value.getOriginalMessage()).contains("'2001:db8::1' is not a valid A value");
  }

  @Test
  void anUnresolvableSecretIsSecretUnavailable() {
    // given a target whose secret reference names no variable
    DnsTarget noSecret = bind.target(BindTestServer.UPDATE_KEY, "env:NOT_SET_ANYWHERE");

    // when a change is sent
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                dns.setRecord(
                    new DnsSetRequest(
                        "switch",
                        noSecret,
                        "refused",
                        DnsRecordType.A,
                        List.of("198.51.100.50"),
                        null,
                        List.of())));

    // then it stops without retry, naming the reference
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SECRET_UNAVAILABLE);
    assertThat(failure.getOriginalMessage())
        .contains("step switch")
        .contains("env:NOT_SET_ANYWHERE");
  }
}
