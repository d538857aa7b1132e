package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Plan;
import dev.cutover.plan.load.DurationText;
import dev.cutover.preflight.PreflightDns;
import dev.cutover.preflight.PreflightRequest;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsSetRequest;
import dev.cutover.steps.http.HttpCheckActivities;
import dev.cutover.steps.http.HttpCheckRequest;
import dev.cutover.steps.http.TlsCheckRequest;
import dev.cutover.steps.proxy.ProxyRestoreRequest;
import dev.cutover.steps.proxy.ProxySwitchRequest;
import dev.cutover.steps.proxy.ProxySwitchResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The traffic step kinds in the workflow: the lowered TTL waited out before any switch (measured on
 * the history's timers, the audit trail an operator reads), the original TTL back in the finish,
 * undo on abort from the values read before the first change, refusals that block, and what the
 * proxy and check activities are asked.
 */
class TrafficStepsTest extends WorkflowTestSupport {
  static final String WWW = "www.example.org";
  static final Duration HOUR = Duration.ofHours(1);

  final TrafficStepsFake traffic =
      new TrafficStepsFake().record(WWW, DnsRecordType.A, HOUR, "192.0.2.10");

  static final String HEAD =
      """
      migration: shop
      secrets: {tsig: file:/etc/cutover/tsig.secret, health-token: env:HEALTH_TOKEN}
      hosts:
        old: {address: 10.0.0.2, sudo: true}
        new: {address: 10.0.0.3}
      dns:
        public: {provider: rfc2136, zone: example.org, servers: [ns1.example.org], tsigKey: cutover-key, tsigSecret: tsig}
      """;

  static final String LOWER =
      "{name: short-ttl-www, kind: dns-ttl, dns: public, record: www, ttl: 60s}";
  static final String RETIRE = "{name: retire-old, kind: run, host: old, command: 'true'}";
  static final String FLIP =
      "{name: flip-www, kind: dns-set, dns: public, record: www, value: 192.0.2.20, expectValue: 192.0.2.10}";

  /**
   * The TTL lowered a day ahead, the record switched in the switch phase, the TTL put back in the
   * finish.
   */
  static Plan lowerThenSwitch(String oldTtlLine, String finishSteps) {
    return Plans.parse(
        HEAD
            + """
        phases:
          lower-ttl:
            %s
            steps: [%s]
          switch:
            steps: [%s]
          finish:
            steps: [%s]
        """
                .formatted(oldTtlLine, LOWER, FLIP, finishSteps));
  }

  @Override
  Object[] moreActivities() {
    return new Object[] {traffic};
  }

  // --- the TTL wait ---------------------------------------------------------------------------

  @ParameterizedTest(name = "[{0}] waits {1}")
  @CsvSource(
      delimiter = '|',
      value = {"oldTtl: 10m | PT1H", "description: no oldTtl | PT1H", "oldTtl: 2h | PT2H"})
  void theLowerTtlPhaseWaitsAtLeastTheOriginalTtlAndTheSwitchDoesNotWaitAgain(
      String oldTtlLine, Duration expectedWait) {
    // given www holds 192.0.2.10 with a TTL of 1h, and a plan whose oldTtl says less, nothing or
    // more
    Plan plan = lowerThenSwitch(oldTtlLine, RETIRE);

    // when the run lowers the TTL to 60s, waits and switches
    start(plan);
    MigrationResult result = result();

    // then the run completed and www moved
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(traffic.get(WWW, DnsRecordType.A).values()).containsExactly("192.0.2.20");
    // and the history holds one timer: the lower-ttl phase's wait, as long as the longer of the
    // original TTL and oldTtl
    List<Timer> timers = timers();
    assertThat(timers)
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.summary()).startsWith("wait out the old DNS TTL");
              assertThat(t.startToFire()).isEqualTo(expectedWait);
              assertThat(t.fired()).isNotNull();
            });
    // and the switch's update was sent no sooner than the original TTL after every server answered
    // the lowered one
    Instant lowered = activityCompleted("DnsWaitForAnswer", 0);
    Instant switched = activityScheduled("DnsSetRecord", 0);
    assertThat(Duration.between(lowered, switched)).isGreaterThanOrEqualTo(expectedWait);
    assertThat(Duration.between(lowered, timers.get(0).fired())).isGreaterThanOrEqualTo(HOUR);
  }

  @Test
  void aDnsSetRightAfterTheTtlWasLoweredWaitsTheRemainderOnANamedTimer() {
    // given the TTL is lowered in prepare, 20 minutes pass, and the downtime switches www at once
    Plan plan =
        Plans.parse(
            HEAD
                + """
        phases:
          prepare:
            steps:
              - %s
              - {name: settle, kind: wait, duration: 20m}
          downtime:
            steps: [%s]
          finish:
            steps: [%s]
        """
                    .formatted(LOWER, FLIP, RETIRE));

    // when it runs
    start(plan);
    MigrationResult result = result();

    // then the dns-set waited what was left of the old TTL, on a timer the UI shows with its reason
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    List<Timer> timers = timers();
    Timer ttl = timers.get(1);
    assertThat(timers)
        .extracting(Timer::summary)
        .containsExactly(
            "wait step settle (20m)",
            "wait out the old DNS TTL of www.example.org A before flip-www ("
                + DurationText.format(ttl.startToFire())
                + ")");
    // (what is left is counted on the workflow's clock, which time skipping moves on by the real
    // milliseconds the
    // worker took besides the skipped 20m: so it is compared with that clock, not with a constant
    // such as 39m59s)
    assertThat(Duration.between(loweredAt(), clockWhenStarted(ttl)))
        .isGreaterThanOrEqualTo(Duration.ofMinutes(20));
    assertThat(ttl.startToFire())
        .isEqualTo(Duration.between(clockWhenStarted(ttl), loweredAt().plus(HOUR)));
    // and the update went out no sooner than the original TTL after the lowered one was answered
    assertThat(
            Duration.between(
                activityCompleted("DnsWaitForAnswer", 0), activityScheduled("DnsSetRecord", 0)))
        .isGreaterThanOrEqualTo(HOUR);
    assertThat(traffic.get(WWW, DnsRecordType.A).values()).containsExactly("192.0.2.20");
  }

  // --- finish ---------------------------------------------------------------------------------

  @Test
  void theFinishPhasePutsTheOriginalTtlBackAsAStepOfItsOwnAfterThePlansSteps() {
    // given a plan whose finish retires the old host
    Plan plan = lowerThenSwitch("oldTtl: 1h", RETIRE);

    // when it runs to the end
    MigrationWorkflow workflow = start(plan);
    MigrationResult result = result();

    // then the finish restored the TTL in a step named after the one that lowered it, after
    // retire-old
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    List<String> names = result.steps().stream().map(StepStatus::name).toList();
    assertThat(names).containsSubsequence("flip-www", "retire-old", "short-ttl-www-restore");
    StepStatus restore = step(result, "short-ttl-www-restore");
    assertThat(restore.phase()).isEqualTo("finish");
    assertThat(restore.state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(restore.outputTail()).contains("TTL back to 1h");
    // and the zone holds the new value with the original TTL
    assertThat(traffic.get(WWW, DnsRecordType.A))
        .isEqualTo(new TrafficStepsFake.Rec(List.of("192.0.2.20"), HOUR));
    assertThat(traffic.changes()).endsWith("ttl www.example.org A 3600s");
    // and status shows the record as it was read before anything changed, no longer lowered
    MigrationStatus status = workflow.status();
    assertThat(status.dns())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.name()).isEqualTo(WWW);
              assertThat(m.type()).isEqualTo(DnsRecordType.A);
              assertThat(m.step()).isEqualTo("short-ttl-www");
              assertThat(m.original().values()).containsExactly("192.0.2.10");
              assertThat(m.original().ttl()).isEqualTo(HOUR);
              assertThat(m.loweredTo()).isNull();
            });
  }

  @Test
  void aFinishPhaseWithNoStepsOfItsOwnStillRestoresTheTtl() {
    // given the plan the docs show: a finish phase with no steps, there for the TTL restore
    Plan plan = lowerThenSwitch("oldTtl: 1h", "");

    // when it runs to the end
    start(plan);
    MigrationResult result = result();

    // then the finish phase consisted of the restore alone, and the TTL is back
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(step(result, "short-ttl-www-restore").state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(traffic.get(WWW, DnsRecordType.A))
        .isEqualTo(new TrafficStepsFake.Rec(List.of("192.0.2.20"), HOUR));
  }

  // --- abort ----------------------------------------------------------------------------------

  @Test
  void
      abortAfterTheSwitchPutsTheOriginalValueThenTheOriginalTtlBackEvenWhenARetryFoundItsChangeMade() {
    // given the update reaches the server but the answer is lost, so the activity's retry finds www
    // already switched,
    // and the step after the switch fails
    traffic.failAfterApplying.add(WWW + " A");
    run.answer(
        r -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "app does not start", CutoverErrors.COMMAND_FAILED);
        });
    Plan plan =
        Plans.parse(
            HEAD
                + """
        phases:
          lower-ttl:
            steps: [%s]
          switch:
            steps:
              - %s
              - {name: start-new, kind: run, host: new, command: 'systemctl start app'}
          finish:
            steps: [%s]
        """
                    .formatted(LOWER, FLIP, RETIRE));
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);
    assertThat(traffic.changes())
        .containsExactly(
            "ttl www.example.org A 60s",
            "set www.example.org A 192.0.2.20",
            "set www.example.org A 192.0.2.20 already so");

    // when the operator aborts
    workflow.abortMigration(new AbortRequest("new app broken", "carol"));
    MigrationResult result = result();

    // then the undo ran in reverse: the value read before the first change back, then the original
    // TTL
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(traffic.changes())
        .containsExactly(
            "ttl www.example.org A 60s",
            "set www.example.org A 192.0.2.20",
            "set www.example.org A 192.0.2.20 already so",
            "set www.example.org A 192.0.2.10",
            "ttl www.example.org A 3600s");
    assertThat(traffic.get(WWW, DnsRecordType.A))
        .isEqualTo(new TrafficStepsFake.Rec(List.of("192.0.2.10"), HOUR));
    // and the record was read once, and the value undo only acts while www still holds what the
    // step set
    assertThat(traffic.calls.stream().filter(c -> c.startsWith("read ")))
        .containsExactly("read www.example.org A");
    DnsSetRequest undo =
        traffic.requests(DnsSetRequest.class).get(traffic.requests(DnsSetRequest.class).size() - 1);
    assertThat(undo.expectedValues()).containsExactly("192.0.2.20");
    assertThat(step(result, "flip-www").state()).isEqualTo(StepState.UNDONE);
    assertThat(step(result, "short-ttl-www").state()).isEqualTo(StepState.UNDONE);
  }

  @Test
  void aDnsSetThatFailedAfterItsUpdateIsUndoneWhenTheOperatorAborts() {
    // given a flip whose update reaches the primary but that never sees every server answer it
    traffic.neverAnswered.add(WWW + " A");
    Plan plan =
        Plans.parse(
            HEAD
                + """
        phases:
          switch:
            steps:
              - %s
        """
                    .formatted(FLIP));
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);
    assertThat(traffic.get(WWW, DnsRecordType.A).values()).containsExactly("192.0.2.20");

    // when the servers answer again and the operator aborts at the blocked step (in this order: the
    // undo's own wait for the answer may run as soon as the decision is in)
    traffic.neverAnswered.clear();
    workflow.decideStep(
        new DecideRequest("flip-www", DecisionAction.ABORT, "ns2 is broken", "carol"));
    MigrationResult result = result();

    // then the failed step's change was undone from the original read before it
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(traffic.get(WWW, DnsRecordType.A))
        .isEqualTo(new TrafficStepsFake.Rec(List.of("192.0.2.10"), HOUR));
    assertThat(step(result, "flip-www").state()).isEqualTo(StepState.UNDONE);
  }

  @Test
  void abortDuringTheLowerTtlWaitPutsTheTtlBackAndNeverTouchesTheValue() {
    // given the run waits out the old TTL
    MigrationWorkflow workflow = start(lowerThenSwitch("oldTtl: 1h", RETIRE));
    awaitStatus(
        workflow, s -> s.state() == MigrationState.WAITING && "lower-ttl".equals(s.phase()));

    // when the operator aborts
    workflow.abortMigration(new AbortRequest("window moved", "carol"));
    MigrationResult result = result();

    // then the TTL is back and the value was never changed
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(traffic.changes())
        .containsExactly("ttl www.example.org A 60s", "ttl www.example.org A 3600s");
    assertThat(traffic.get(WWW, DnsRecordType.A))
        .isEqualTo(new TrafficStepsFake.Rec(List.of("192.0.2.10"), HOUR));
    assertThat(step(result, "short-ttl-www").state()).isEqualTo(StepState.UNDONE);
    assertThat(step(result, "flip-www").state()).isEqualTo(StepState.PENDING);
  }

  @Test
  void abortPutsBackTheTtlADnsSetChangedWithItsValue() {
    // given a switch that also shortens the TTL, and a step after it that fails
    run.answer(
        r -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "app does not start", CutoverErrors.COMMAND_FAILED);
        });
    Plan plan =
        Plans.parse(
            HEAD
                + """
        phases:
          switch:
            steps:
              - {name: flip-www, kind: dns-set, dns: public, record: www, value: 192.0.2.20, expectValue: 192.0.2.10, ttl: 300s}
              - {name: start-new, kind: run, host: new, command: 'systemctl start app'}
        """);
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // when the operator aborts
    workflow.abortMigration(new AbortRequest("new app broken", "carol"));
    MigrationResult result = result();

    // then www is as it was: value and TTL
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(traffic.get(WWW, DnsRecordType.A))
        .isEqualTo(new TrafficStepsFake.Rec(List.of("192.0.2.10"), HOUR));
  }

  // --- continue-as-new ------------------------------------------------------------------------

  @Test
  void theLoweredTtlIsRememberedAcrossContinueAsNew() {
    // given the TTL is lowered in prepare and presync rounds continue as new before the old TTL has
    // run out
    Plan plan =
        Plans.parse(
            HEAD
                + """
        phases:
          prepare:
            steps: [%s]
          presync:
            rounds: 4
            every: 10m
            steps: [{name: sync, kind: run, host: new, command: sync}]
          downtime:
            steps: [%s]
          finish:
            steps: [%s]
        """
                    .formatted(LOWER, FLIP, RETIRE));

    // when it runs with a small history limit
    MigrationWorkflow workflow = start(new MigrationInput(plan, null, 20));
    MigrationResult result = result();

    // then a later run still made the switch wait what was left of the old TTL
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    MigrationStatus status = workflow.status();
    assertThat(status.continuedRuns()).isGreaterThanOrEqualTo(1);
    assertThat(timers())
        .filteredOn(
            t ->
                t.summary()
                    .startsWith("wait out the old DNS TTL of www.example.org A before flip-www"))
        .singleElement()
        .satisfies(
            t -> {
              assertThat(Duration.between(loweredAt(), clockWhenStarted(t)))
                  .isGreaterThanOrEqualTo(Duration.ofMinutes(30));
              assertThat(t.startToFire())
                  .isEqualTo(Duration.between(clockWhenStarted(t), loweredAt().plus(HOUR)));
            });
    // and it restored the original it carried, without reading the lowered record as if it were the
    // original
    assertThat(traffic.calls.stream().filter(c -> c.startsWith("read ")))
        .containsExactly("read www.example.org A");
    assertThat(step(result, "short-ttl-www-restore").state()).isEqualTo(StepState.SUCCEEDED);
    assertThat(traffic.get(WWW, DnsRecordType.A))
        .isEqualTo(new TrafficStepsFake.Rec(List.of("192.0.2.20"), HOUR));
    assertThat(status.dns())
        .singleElement()
        .satisfies(m -> assertThat(m.original().ttl()).isEqualTo(HOUR));
  }

  // --- refused --------------------------------------------------------------------------------

  @Test
  void aRecordHoldingAnUnexpectedValueBlocksTheSwitchWithTheReasonAndChangesNothing() {
    // given someone pointed www elsewhere
    traffic.record(WWW, DnsRecordType.A, HOUR, "192.0.2.99");
    Plan plan =
        Plans.parse(
            HEAD
                + """
        phases:
          switch:
            steps: [%s]
        """
                    .formatted(FLIP));

    // when the switch runs
    MigrationWorkflow workflow = start(plan);
    MigrationStatus blocked = awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // then the step waits for a decision, saying what the record holds, after one refused attempt
    assertThat(blocked.waitingFor()).isEqualTo("decision:flip-www");
    StepStatus flip = step(blocked, "flip-www");
    assertThat(flip.state()).isEqualTo(StepState.BLOCKED);
    assertThat(flip.errorType()).isEqualTo(CutoverErrors.STATE_CONFLICT);
    assertThat(flip.error()).contains("holds 192.0.2.99").contains("expected 192.0.2.10");
    assertThat(traffic.changes()).containsExactly("set www.example.org A 192.0.2.20 refused");
    // and the record is as it was
    assertThat(traffic.get(WWW, DnsRecordType.A))
        .isEqualTo(new TrafficStepsFake.Rec(List.of("192.0.2.99"), HOUR));
    assertThat(traffic.calls).noneMatch(c -> c.startsWith("wait "));
  }

  // --- proxy ----------------------------------------------------------------------------------

  @Test
  void proxySwitchIsBuiltFromThePlanAndItsUndoRestoresWithTheSwitchesResult() {
    // given a switch to new on old's nginx, and a step after it that fails
    run.answer(
        r -> {
          throw ApplicationFailure.newNonRetryableFailure(
              "app does not start", CutoverErrors.COMMAND_FAILED);
        });
    Plan plan =
        Plans.parse(
            HEAD
                + """
        phases:
          switch:
            steps:
              - {name: proxy-to-new, kind: proxy-switch, host: old, site: /etc/nginx/sites-available/shop,
                 enabledLink: /etc/nginx/sites-enabled/shop, serverNames: [shop.example.org], to: new}
              - {name: start-new, kind: run, host: new, command: 'systemctl start app'}
        """);
    MigrationWorkflow workflow = start(plan);
    awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // when the operator aborts
    workflow.abortMigration(new AbortRequest("new app broken", "carol"));
    MigrationResult result = result();

    // then the switch proxied to new's address over http on port 80, through sudo as old says
    ProxySwitchRequest request = traffic.requests(ProxySwitchRequest.class).get(0);
    assertThat(request.hostName()).isEqualTo("old");
    assertThat(request.host().address()).isEqualTo("10.0.0.2");
    assertThat(request.upstream()).isEqualTo("http://10.0.0.3");
    assertThat(request.listen()).containsExactly("80");
    assertThat(request.serverNames()).containsExactly("shop.example.org");
    assertThat(request.sitePath()).isEqualTo("/etc/nginx/sites-available/shop");
    assertThat(request.enabledPath()).isEqualTo("/etc/nginx/sites-enabled/shop");
    assertThat(request.sudo()).isTrue();
    // and the undo restored old's site with what the switch reported
    assertThat(result.outcome()).isEqualTo(MigrationState.ABORTED);
    assertThat(traffic.changes())
        .containsExactly(
            "switch old /etc/nginx/sites-available/shop -> http://10.0.0.3",
            "restore old /etc/nginx/sites-available/shop");
    ProxyRestoreRequest restore = traffic.requests(ProxyRestoreRequest.class).get(0);
    assertThat(restore.switched())
        .isEqualTo(
            new ProxySwitchResult(
                "/etc/nginx/sites-available/shop",
                true,
                "old-sha",
                "/etc/nginx/sites-available/shop.cutover-proxy-to-new.orig",
                "/etc/nginx/sites-enabled/shop",
                false,
                "new-sha",
                true));
    assertThat(restore.hostName()).isEqualTo("old");
    assertThat(restore.sudo()).isTrue();
    assertThat(step(result, "proxy-to-new").state()).isEqualTo(StepState.UNDONE);
  }

  @Test
  void aSiteKeptAsAPlainFileInSitesEnabledIsAcceptedAndPreflightChecksTheRequestTheSwitchRuns() {
    // given a switch of a site kept as a plain file in sites-enabled, without enabledLink
    Plan plan =
        Plans.parse(
            HEAD
                + """
        phases:
          switch:
            steps:
              - {name: proxy-to-new, kind: proxy-switch, host: old, site: /etc/nginx/sites-enabled/shop,
                 serverNames: [shop.example.org], to: new, testCommand: 'nginx -t -q'}
        """);

    // when it runs
    start(plan);
    MigrationResult result = result();

    // then preflight was asked about exactly the request the switch then ran with
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    ProxySwitchRequest ran = traffic.requests(ProxySwitchRequest.class).get(0);
    assertThat(ran.sitePath()).isEqualTo("/etc/nginx/sites-enabled/shop");
    assertThat(ran.enabledPath()).isNull();
    assertThat(traffic.preflights.get(0).proxies()).containsExactly(ran);
  }

  @Test
  void aPlainFileSiteInSitesEnabledWithALinkToItIsRefusedByTheValidator() {
    // given a site in sites-enabled that also names a link, which would load it twice
    String yaml =
        HEAD
            + """
        phases:
          switch:
            steps:
              - {name: proxy-to-new, kind: proxy-switch, host: old, site: /etc/nginx/sites-enabled/shop,
                 enabledLink: /etc/nginx/sites-enabled/shop2, serverNames: [shop.example.org], to: new}
        """;

    // when it is validated
    Throwable refused =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> dev.cutover.plan.load.PlanLoader.parse("test-plan.yaml", yaml));

    // then the problem names the field
    assertThat(refused)
        .hasMessageContaining(
            "phases.switch.steps[0].enabledLink: the site /etc/nginx/sites-enabled/shop is a plain file "
                + "in sites-enabled, which nginx loads as it is: leave out enabledLink");
  }

  // --- checks ---------------------------------------------------------------------------------

  static final String CHECKS =
      HEAD
          + """
      phases:
        verify:
          steps:
            - {name: new-answers, kind: http, url: https://www.example.org/health, resolve: {www.example.org: new},
               expectBody: '"status"', headers: {Accept: application/json}, secretHeaders: {Authorization: health-token},
               retry: {maxAttempts: 5, initialInterval: 1s, backoff: 1.0}}
            - {name: cert-on-new, kind: tls, url: 'https://www.example.org:8443/', resolve: {www.example.org: new}}
      """;

  @Test
  void httpCheckGoesToTheResolvedHostsAddressWithSecretReferencesAndIsRetriedUntilItPasses() {
    // given new answers 502 three times before it is up
    traffic.httpFailures.set(3);

    // when the checks run
    start(Plans.parse(CHECKS));
    MigrationResult result = result();

    // then the step's retry policy kept asking until the fourth answer passed
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(traffic.httpCalls).hasValue(4);
    assertThat(step(result, "new-answers").outputTail()).contains("answered 200 from 10.0.0.3");
    // and the request named new's address for www and carried the header secret as its reference
    HttpCheckRequest request = traffic.requests(HttpCheckRequest.class).get(0);
    assertThat(request.resolve()).isEqualTo(Map.of(WWW, "10.0.0.3"));
    assertThat(request.secretHeaders()).isEqualTo(Map.of("Authorization", "env:HEALTH_TOKEN"));
    assertThat(request.headers()).isEqualTo(Map.of("Accept", "application/json"));
    assertThat(request.expectedStatus()).isNull();
    assertThat(request.bodyPattern()).isEqualTo("\"status\"");
    assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(activityInput("HttpCheck")).contains("\"Authorization\":\"env:HEALTH_TOKEN\"");
    // and the TLS check connected to new's address on the URL's port, asking for the default two
    // weeks
    assertThat(traffic.requests(TlsCheckRequest.class))
        .containsExactly(new TlsCheckRequest("cert-on-new", WWW, 8443, "10.0.0.3", 14));
  }

  @Test
  void anHttpCheckThatKeepsFailingBlocksAfterTheStepsAttemptsWithCheckFailed() {
    // given new never answers well
    traffic.httpFailures.set(100);

    // when the checks run
    MigrationWorkflow workflow = start(Plans.parse(CHECKS));
    MigrationStatus blocked = awaitStatus(workflow, s -> s.state() == MigrationState.BLOCKED);

    // then the check was tried as often as its retry allows, and the run waits saying what differed
    assertThat(traffic.httpCalls).hasValue(5);
    assertThat(blocked.waitingFor()).isEqualTo("decision:new-answers");
    assertThat(step(blocked, "new-answers").errorType())
        .isEqualTo(HttpCheckActivities.CHECK_FAILED);
    assertThat(step(blocked, "new-answers").error()).contains("answered 502");
  }

  // --- preflight ------------------------------------------------------------------------------

  @Test
  void preflightGetsEveryDnsStepsRecordWithItsAbsoluteNameValuesAndTheTsigSecretsReference() {
    // given a plan whose switch names the record absolutely, in another case, with a trailing dot
    Plan plan =
        Plans.parse(
            HEAD
                + """
        phases:
          lower-ttl:
            steps: [%s]
          switch:
            steps:
              - {name: flip-www, kind: dns-set, dns: public, record: WWW.example.org., value: 192.0.2.20, expectValue: 192.0.2.10}
          finish:
            steps: [%s]
        """
                    .formatted(LOWER, RETIRE));

    // when it runs
    start(plan);
    MigrationResult result = result();

    // then preflight was asked about one record under one name, for both steps
    assertThat(result.outcome()).isEqualTo(MigrationState.COMPLETED);
    PreflightRequest preflight = traffic.preflights.get(0);
    assertThat(preflight.dns())
        .extracting(PreflightDns::step, PreflightDns::name, PreflightDns::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("short-ttl-www", WWW, DnsRecordType.A),
            org.assertj.core.groups.Tuple.tuple("flip-www", WWW, DnsRecordType.A));
    PreflightDns ttl = preflight.dns().get(0);
    assertThat(ttl.expectedValues()).isEmpty();
    assertThat(ttl.newValues()).isEmpty();
    PreflightDns flip = preflight.dns().get(1);
    assertThat(flip.expectedValues()).containsExactly("192.0.2.10");
    assertThat(flip.newValues()).containsExactly("192.0.2.20");
    // and the target carries the key's name, algorithm and the secret's reference, never the secret
    assertThat(flip.target().zone()).isEqualTo("example.org");
    assertThat(flip.target().servers()).containsExactly("ns1.example.org");
    assertThat(flip.target().tsigKeyName()).isEqualTo("cutover-key");
    assertThat(flip.target().tsigAlgorithm()).isEqualTo("hmac-sha256");
    assertThat(flip.target().tsigSecretRef()).isEqualTo("file:/etc/cutover/tsig.secret");
    // and the ledger knows one record: the switch found the one the TTL step read
    assertThat(traffic.calls.stream().filter(c -> c.startsWith("read ")))
        .containsExactly("read www.example.org A");
    assertThat(result.steps()).extracting(StepStatus::name).contains("short-ttl-www-restore");
  }

  // --- history --------------------------------------------------------------------------------

  /**
   * A durable timer as the history records it: the UI's summary, its length, when it started and
   * fired, its event.
   */
  record Timer(
      String summary, Duration startToFire, Instant started, Instant fired, long eventId) {}

  List<HistoryEvent> events() {
    return client.fetchHistory(ID).getEvents();
  }

  List<Timer> timers() {
    List<HistoryEvent> events = events();
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED)
        .map(
            e -> {
              var attributes = e.getTimerStartedEventAttributes();
              Instant fired =
                  events.stream()
                      .filter(
                          f ->
                              f.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED
                                  && f.getTimerFiredEventAttributes().getStartedEventId()
                                      == e.getEventId())
                      .findFirst()
                      .map(TrafficStepsTest::time)
                      .orElse(null);
              String summary =
                  DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                      e.getUserMetadata().getSummary(), String.class, String.class);
              var timeout = attributes.getStartToFireTimeout();
              return new Timer(
                  summary,
                  Duration.ofSeconds(timeout.getSeconds(), timeout.getNanos()),
                  time(e),
                  fired,
                  e.getEventId());
            })
        .toList();
  }

  /**
   * The workflow's clock in the task that started this timer (this run): what
   * Workflow.currentTimeMillis returned there, the start of that workflow task, in milliseconds.
   */
  Instant clockWhenStarted(Timer timer) {
    return events().stream()
        .filter(
            e ->
                e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
                    && e.getEventId() < timer.eventId())
        .reduce((first, second) -> second)
        .map(TrafficStepsTest::clock)
        .orElseThrow();
  }

  /**
   * The workflow's clock when it learnt that every server answers the lowered TTL, in whichever
   * run: the start of the workflow task after the first DnsWaitForAnswer completed, from which the
   * old TTL is counted.
   */
  Instant loweredAt() {
    for (List<HistoryEvent> run : runs()) {
      long answered =
          run.stream()
              .filter(
                  e ->
                      e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                          && e.getActivityTaskScheduledEventAttributes()
                              .getActivityType()
                              .getName()
                              .equals("DnsWaitForAnswer"))
              .map(
                  scheduled ->
                      run.stream()
                          .filter(
                              e ->
                                  e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
                                      && e.getActivityTaskCompletedEventAttributes()
                                              .getScheduledEventId()
                                          == scheduled.getEventId())
                          .findFirst())
              .flatMap(java.util.Optional::stream)
              .mapToLong(HistoryEvent::getEventId)
              .findFirst()
              .orElse(-1);
      if (answered >= 0) {
        return run.stream()
            .filter(
                e ->
                    e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED
                        && e.getEventId() > answered)
            .findFirst()
            .map(TrafficStepsTest::clock)
            .orElseThrow();
      }
    }
    throw new AssertionError("no DnsWaitForAnswer completed in any run of " + ID);
  }

  /**
   * Every run's events, the first run first, following continue-as-new back from the latest run.
   */
  List<List<HistoryEvent>> runs() {
    List<List<HistoryEvent>> runs = new ArrayList<>();
    List<HistoryEvent> run = events();
    while (true) {
      runs.add(0, run);
      String previous =
          run.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return runs;
      }
      run = client.fetchHistory(ID, previous).getEvents();
    }
  }

  /**
   * An event's time as the workflow code saw it: Workflow.currentTimeMillis keeps milliseconds
   * only.
   */
  private static Instant clock(HistoryEvent e) {
    return Instant.ofEpochMilli(time(e).toEpochMilli());
  }

  /** When the n-th activity of this type was scheduled. */
  Instant activityScheduled(String type, int n) {
    return time(scheduled(type).get(n));
  }

  /** When the n-th activity of this type completed. */
  Instant activityCompleted(String type, int n) {
    long scheduledId = scheduled(type).get(n).getEventId();
    return events().stream()
        .filter(
            e ->
                e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED
                    && e.getActivityTaskCompletedEventAttributes().getScheduledEventId()
                        == scheduledId)
        .findFirst()
        .map(TrafficStepsTest::time)
        .orElseThrow();
  }

  /** The first activity of this type's input as the history holds it: the JSON an operator sees. */
  String activityInput(String type) {
    return scheduled(type)
        .get(0)
        .getActivityTaskScheduledEventAttributes()
        .getInput()
        .getPayloads(0)
        .getData()
        .toStringUtf8();
  }

  private List<HistoryEvent> scheduled(String type) {
    return events().stream()
        .filter(
            e ->
                e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                    && e.getActivityTaskScheduledEventAttributes()
                        .getActivityType()
                        .getName()
                        .equals(type))
        .toList();
  }

  private static Instant time(HistoryEvent e) {
    return Instant.ofEpochSecond(e.getEventTime().getSeconds(), e.getEventTime().getNanos());
  }
}
