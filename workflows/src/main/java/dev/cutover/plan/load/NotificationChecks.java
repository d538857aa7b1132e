package dev.cutover.plan.load;

import dev.cutover.plan.Email;
import dev.cutover.plan.NotificationEvent;
import dev.cutover.plan.Notifications;
import dev.cutover.plan.Plan;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/** Validation of the plan's notifications section and of notify steps. */
final class NotificationChecks {
  static final java.time.Duration MIN_REMIND_EVERY = java.time.Duration.ofMinutes(15);

  /** An address, bare or as {@code Name <address>}: what SMTP takes without surprises. */
  private static final String BARE_ADDRESS =
      "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*";

  static final Pattern MAIL_ADDRESS =
      Pattern.compile(BARE_ADDRESS + "|[^<>@\"\\r\\n]*<" + BARE_ADDRESS + ">");

  private final Plan plan;
  private final BiConsumer<String, String> report;

  NotificationChecks(Plan plan, BiConsumer<String, String> report) {
    this.plan = plan;
    this.report = report;
  }

  void check() {
    Notifications n = plan.notifications();
    if (n == null) {
      return;
    }
    String path = "notifications";
    if (n.webhook() == null && n.email() == null) {
      report.accept(
          path,
          "notifications need somewhere to go: give webhook (a secret's name), email, or both");
    }
    secretName(path + ".webhook", n.webhook(), "webhook");
    if (n.email() != null) {
      checkEmail(path + ".email", n.email());
    }
    if (n.remindEvery() != null && n.remindEvery().compareTo(MIN_REMIND_EVERY) < 0) {
      // Each reminder adds events to a history that does not continue-as-new while a gate waits.
      report.accept(
          path + ".remindEvery",
          "at least 15m: a gate that waits for days would otherwise fill the history with reminders");
    }
    if (n.remindEvery() == null
        && n.on().contains(NotificationEvent.GATE_REMINDER)
        && n.on().size() < NotificationEvent.values().length) {
      report.accept(
          path + ".on",
          "gate-reminder is listed but remindEvery is not set: say how often a waiting gate is reminded of");
    }
  }

  private void checkEmail(String path, Email email) {
    if (email.host() != null && !PlanValidator.ADDRESS.matcher(email.host()).matches()) {
      report.accept(path + ".host", "'" + email.host() + "' is not a host name or IP address");
    }
    if (email.port() != null && (email.port() < 1 || email.port() > 65535)) {
      report.accept(path + ".port", "port " + email.port() + " is out of range 1-65535");
    }
    if ((email.userSecret() == null) != (email.passwordSecret() == null)) {
      report.accept(
          path, "give both userSecret and passwordSecret to log in to the SMTP server, or neither");
    }
    secretName(path + ".userSecret", email.userSecret(), "userSecret");
    secretName(path + ".passwordSecret", email.passwordSecret(), "passwordSecret");
    address(path + ".from", email.from());
    if (email.to().isEmpty()) {
      report.accept(path + ".to", "name at least one recipient");
    }
    for (int i = 0; i < email.to().size(); i++) {
      address(path + ".to[" + i + "]", email.to().get(i));
    }
  }

  private void address(String path, String value) {
    if (value != null && value.chars().anyMatch(Character::isISOControl)) {
      // It goes into a mail header, where a line break would start another header.
      report.accept(
          path, "the address holds a control character (a line break?); an address is one line");
    } else if (value != null && !MAIL_ADDRESS.matcher(value.strip()).matches()) {
      report.accept(
          path,
          "'"
              + value
              + "' is not an e-mail address (user@example.org, or Name <user@example.org>)");
    }
  }

  private void secretName(String path, String name, String field) {
    if (name != null && !plan.secrets().containsKey(name)) {
      // The value is not repeated: an operator may have pasted the URL or password itself here.
      report.accept(
          path,
          "names no entry under secrets"
              + declared()
              + "; "
              + field
              + " is a secret's name, and secrets maps the name to env:NAME or file:/path");
    }
  }

  private String declared() {
    return plan.secrets().isEmpty()
        ? " (the plan declares none)"
        : " (declared: " + String.join(", ", new TreeSet<>(plan.secrets().keySet())) + ")";
  }
}
