package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.plan.NotificationEvent;
import dev.cutover.plan.Plan;
import dev.cutover.plan.load.InvalidPlanException;
import dev.cutover.plan.load.PlanLoader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan's notifications section and notify steps, as the loader reads and checks them. */
class NotificationPlanTest {
  static final String BASE =
      """
      migration: notified
      hosts: {old: {}}
      secrets:
        slack: env:SLACK_WEBHOOK
        smtp-user: env:SMTP_USER
        smtp-password: env:SMTP_PASSWORD
      %s
      phases:
        prepare: {steps: [%s]}
      """;

  static String plan(String notifications, String step) {
    return BASE.formatted(notifications.replace("\n", "\n      "), step);
  }

  static List<String> problems(String yaml) {
    InvalidPlanException e =
        catchThrowableOfType(InvalidPlanException.class, () -> PlanLoader.parse("plan.yaml", yaml));
    assertThat(e).as("the plan should be refused").isNotNull();
    return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
  }

  @Test
  void aFullSectionLoadsWithItsDefaults() throws Exception {
    // when a plan with webhook, e-mail and reminders loads
    Plan plan =
        PlanLoader.parse(
            "plan.yaml",
            plan(
                """
        notifications:
          webhook: slack
          email: {host: smtp.example.org, userSecret: smtp-user, passwordSecret: smtp-password, from: cutover@example.org, to: ["Dana <dana@example.org>"]}
          remindEvery: 30m""",
                "{name: tell, kind: notify, message: hello}"));

    // then every event is on, STARTTLS is required and port 587 is left to the activity's default
    assertThat(plan.notifications().on()).containsExactly(NotificationEvent.values());
    assertThat(plan.notifications().remindEvery()).isEqualTo(Duration.ofMinutes(30));
    assertThat(plan.notifications().email().startTlsOrDefault()).isTrue();
    assertThat(plan.notifications().email().port()).isNull();
  }

  @Test
  void mistakesAreNamedByTheirPath() {
    // when the section names an unknown secret, pastes a URL where a secret's name goes, and has
    // bad addresses
    List<String> problems =
        problems(
            plan(
                """
        notifications:
          webhook: https://hooks.slack.com/services/T0/B0/secret-token
          email: {host: "smtp example", port: 70000, userSecret: smtp-user, from: cutover, to: ["ops@example.org", "not an address"]}
          on: [gate-opened, gate-reminder]
          remindEvery: 0s""",
                "{name: tell, kind: notify, message: hello}"));

    // then each is reported at its field, and the pasted URL is not repeated
    assertThat(problems)
        .anyMatch(
            p ->
                p.startsWith(
                    "notifications.webhook: names no entry under secrets (declared: slack, smtp-password, smtp-user)"))
        .anyMatch(p -> p.startsWith("notifications.email.host: 'smtp example' is not a host name"))
        .anyMatch(p -> p.startsWith("notifications.email.port: port 70000 is out of range"))
        .anyMatch(p -> p.startsWith("notifications.email: give both userSecret and passwordSecret"))
        .anyMatch(p -> p.startsWith("notifications.email.from: 'cutover' is not an e-mail address"))
        .anyMatch(
            p ->
                p.startsWith(
                    "notifications.email.to[1]: 'not an address' is not an e-mail address"))
        .anyMatch(p -> p.startsWith("notifications.remindEvery: at least 15m"))
        .noneMatch(p -> p.contains("secret-token"));
    assertThat(problems).noneMatch(p -> p.startsWith("notifications.email.to[0]"));
  }

  @Test
  void anUnknownEventIsRefusedWithTheKnownOnes() {
    // when on names an event that does not exist
    List<String> problems =
        problems(
            plan(
                """
        notifications:
          webhook: slack
          on: [gate-opend]""",
                "{name: tell, kind: notify, message: hello}"));

    // then the problem lists the events
    assertThat(problems)
        .anyMatch(
            p ->
                p.startsWith("notifications.on")
                    && p.contains("gate-opened")
                    && p.contains("migration-aborted"));
  }

  @Test
  void remindersNeedAnInterval() {
    List<String> problems =
        problems(
            plan(
                """
        notifications:
          webhook: slack
          on: [gate-opened, gate-reminder]""",
                "{name: tell, kind: notify, message: hello}"));
    assertThat(problems)
        .anyMatch(
            p ->
                p.startsWith(
                    "notifications.on: gate-reminder is listed but remindEvery is not set"));
  }

  @Test
  void aNotifyStepNeedsAMessageAndSomewhereToSendIt() {
    // when a notify step has no message, a field of another kind, and the plan has no notifications
    List<String> problems = problems(plan("", "{name: tell, kind: notify, host: old}"));

    // then all three are reported at the step
    assertThat(problems)
        .anyMatch(p -> p.startsWith("phases.prepare.steps[0]: missing field 'message'"))
        .anyMatch(
            p ->
                p.startsWith(
                    "phases.prepare.steps[0]: a notify step sends through the plan's notifications"))
        .anyMatch(
            p ->
                p.startsWith(
                    "phases.prepare.steps[0].host: field 'host' does not apply to a notify step"));
  }

  @Test
  void aSectionWithNowhereToSendIsRefused() {
    List<String> problems =
        problems(
            plan(
                """
        notifications:
          remindEvery: 1h""",
                "{name: tell, kind: notify, message: hello}"));
    assertThat(problems)
        .anyMatch(p -> p.startsWith("notifications: notifications need somewhere to go"));
  }
}
