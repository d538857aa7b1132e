package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.steps.dns.DnsRecordMemory;
import dev.cutover.steps.dns.DnsRecordState;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.workflow.GateApprover;
import dev.cutover.workflow.GateState;
import dev.cutover.workflow.GateStatus;
import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.MigrationStatus;
import dev.cutover.workflow.Starter;
import dev.cutover.workflow.StepState;
import dev.cutover.workflow.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cutover status} as text: the parts a unit test can pin down without a Temporal server. */
class StatusViewTest {

  @Test
  void showsTheDnsRecordsTheRunReadWithTheirOriginalAndWhetherTheTtlIsLowered() {
    // given a run that lowered one record's TTL, restored another's and read one that did not exist
    DnsRecordMemory lowered =
        new DnsRecordMemory(
            "short-ttl",
            "public",
            "www.example.org.",
            DnsRecordType.A,
            state("www.example.org.", DnsRecordType.A, List.of("192.0.2.10"), Duration.ofHours(1)),
            Duration.ofMinutes(1),
            Instant.parse("2026-11-22T00:21:59Z"));
    DnsRecordMemory restored =
        new DnsRecordMemory(
            "short-ttl",
            "public",
            "shop.example.org.",
            DnsRecordType.AAAA,
            state(
                "shop.example.org.",
                DnsRecordType.AAAA,
                List.of("2001:db8::1", "2001:db8::2"),
                Duration.ofDays(1)),
            null,
            null);
    DnsRecordMemory absent =
        new DnsRecordMemory(
            "add-api",
            "public",
            "api.example.org.",
            DnsRecordType.CNAME,
            new DnsRecordState(
                "example.org",
                "api.example.org.",
                DnsRecordType.CNAME,
                false,
                List.of(),
                null,
                List.of("127.0.0.1:5353")),
            null,
            null);

    // when status renders it
    String text = StatusView.render("cutover-shop", status(List.of(lowered, restored, absent)));

    // then a DNS block lists each record, after the gates and before the notes
    assertThat(text)
        .contains(
            """

          DNS:
          www.example.org. A (public): was 192.0.2.10, TTL 1h, read by short-ttl; TTL lowered to 1m since 2026-11-22 00:21:59 UTC
          shop.example.org. AAAA (public): was 2001:db8::1 2001:db8::2, TTL 1d, read by short-ttl; TTL as it was
          api.example.org. CNAME (public): did not exist, read by add-api
        """);
    assertThat(text.indexOf("Gates:")).isLessThan(text.indexOf("DNS:"));
    assertThat(text.indexOf("DNS:")).isLessThan(text.indexOf("Notes:"));
  }

  @Test
  void showsNoDnsBlockWhileTheRunHasReadNoRecord() {
    String text = StatusView.render("cutover-shop", status(List.of()));

    assertThat(text).doesNotContain("DNS");
  }

  @Test
  void aBlockedStepShowsItsErrorWithTheTypeTheDocsName() {
    // given a step blocked on a host key mismatch
    StepStatus blocked =
        new StepStatus(
            "prepare",
            "preflight",
            "preflight",
            null,
            null,
            StepState.BLOCKED,
            1,
            0,
            Instant.parse("2026-11-22T00:20:00Z"),
            Instant.parse("2026-11-22T00:20:01Z"),
            null,
            null,
            "preflight found 1 problem",
            "PreflightFailed",
            null,
            null);

    // when status renders it
    String text = StatusView.render("cutover-shop", status(List.of(blocked), List.of()));

    // then the error line carries the type in brackets, as docs/plan.md lists it
    assertThat(text).contains("      error: preflight found 1 problem [PreflightFailed]\n");
  }

  @Test
  void showsWhoApprovedAGateByNameOrByTheSignalsIdentity() {
    // given one gate approved by the CLI (named in the payload) and two by signals that named
    // nobody
    GateStatus byCli =
        new GateStatus(
            "go-downtime",
            "downtime",
            null,
            GateState.APPROVED,
            null,
            Instant.parse("2026-11-22T00:10:00Z"),
            "team online",
            "alice@ops");
    GateStatus byUi =
        new GateStatus(
            "go-switch",
            "switch",
            null,
            GateState.APPROVED,
            null,
            Instant.parse("2026-11-22T00:30:00Z"),
            "looks good",
            null);
    GateStatus byUnknown =
        new GateStatus(
            "go-finish",
            "finish",
            null,
            GateState.APPROVED,
            null,
            Instant.parse("2026-11-22T00:40:00Z"),
            null,
            null);
    MigrationStatus status =
        new MigrationStatus(
            "shop",
            MigrationState.RUNNING,
            "switch",
            null,
            "",
            null,
            null,
            List.of(),
            List.of(byCli, byUi, byUnknown),
            null,
            List.of(),
            0,
            0,
            List.of(),
            List.of(),
            null,
            false,
            List.of());

    // when status renders it with the identities on the signals' events
    String text =
        StatusView.render(
            "cutover-shop", status, java.util.Map.of("go-switch", "bob@temporal-ui"), true);

    // then each gate says who approved it
    assertThat(text)
        .contains("approved 2026-11-22T00:10:00Z by alice@ops — team online")
        .contains("approved 2026-11-22T00:30:00Z by signal from bob@temporal-ui — looks good")
        .contains("approved 2026-11-22T00:40:00Z by signal\n");
  }

  private static DnsRecordState state(
      String name, DnsRecordType type, List<String> values, Duration ttl) {
    return new DnsRecordState(
        "example.org", name, type, true, values, ttl, List.of("127.0.0.1:5353", "127.0.0.2:5353"));
  }

  @Test
  void aGateUnderAPolicyShowsWhoApprovedWithWhichKeyAndWhoIsStillNeeded() {
    // given a run alice started signed, at a gate that needs three approvals and has two, one of
    // them unverified
    GateStatus gate =
        new GateStatus(
                "go-switch",
                "switch",
                null,
                GateState.OPEN,
                Instant.parse("2026-11-22T00:30:00Z"),
                null,
                null,
                null)
            .counting(
                3,
                List.of(
                    new GateApprover(
                        "bob@example.com",
                        "SHA256:Ym9iJ3Mga2V5",
                        true,
                        Instant.parse("2026-11-22T00:31:00Z"),
                        "rounds are small",
                        "n1"),
                    new GateApprover(
                        "dave", null, false, Instant.parse("2026-11-22T00:32:00Z"), null, null)),
                List.of("carol@example.com"));
    MigrationStatus base = status(List.of());
    MigrationStatus status =
        new MigrationStatus(
            base.migration(),
            base.state(),
            base.phase(),
            base.currentStep(),
            base.waitingFor(),
            base.nextAction(),
            base.waitingUntil(),
            base.steps(),
            List.of(gate),
            base.downtime(),
            base.presyncRounds(),
            base.monitorChecks(),
            base.continuedRuns(),
            base.decisions(),
            base.notes(),
            base.abortReason(),
            base.pointOfNoReturnPassed(),
            base.dns(),
            new Starter(true, "alice@example.com", "SHA256:YWxpY2Uncw", null));

    // when it is shown
    String text = StatusView.render("cutover-shop", status);

    // then it names the starter, the count, each approver with key or claim, and who could still
    assertThat(text)
        .contains("Started by: alice@example.com (SHA256:YWxpY2Uncw)")
        .contains("open: 2 of 3 approvals")
        .contains(
            "approved by bob@example.com (SHA256:Ym9iJ3Mga2V5) at 2026-11-22T00:31:00Z — rounds are small")
        .contains("approved by unverified (claimed identity dave)")
        .contains("still needed: 1 approval from carol@example.com");
  }

  private static MigrationStatus status(List<DnsRecordMemory> dns) {
    return status(List.of(), dns);
  }

  private static MigrationStatus status(List<StepStatus> steps, List<DnsRecordMemory> dns) {
    return new MigrationStatus(
        "shop",
        MigrationState.WAITING_FOR_GATE,
        "downtime",
        null,
        "gate:go-switch",
        null,
        null,
        steps,
        List.of(
            new GateStatus(
                "go-switch",
                "switch",
                null,
                GateState.OPEN,
                Instant.parse("2026-11-22T00:30:00Z"),
                null,
                null,
                null)),
        null,
        List.of(),
        0,
        0,
        List.of(),
        List.of("the TTL is lowered until the finish phase"),
        null,
        false,
        dns);
  }
}
