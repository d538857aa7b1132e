package dev.cutover.steps.service;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The fields of a {@code service} step. */
public record ServiceSpec(
    @Doc("Name of the host the service runs on (from hosts).") String host,
    @Doc("Run through `sudo -n` on the host (default: the host's sudo).") Boolean sudo,
    @Doc("The systemd unit, like app.service.") String unit,
    @Doc("start, stop, restart, enable or disable.") String action,
    @Doc("A custom command that performs the action instead of systemctl.") String command,
    @Doc(
            "With a custom command: a command that exits 0 while the service runs (enable, disable: while it is enabled).")
        String check,
    @Doc("How long the unit may take to reach its state (default 60s).") Duration settle)
    implements StepSpec {
  static final Pattern UNIT = Pattern.compile("[A-Za-z0-9:_.@\\\\-]+");
  static final List<String> ACTIONS = List.of("start", "stop", "restart", "enable", "disable");

  @Override
  public void validate(SpecCheck c) {
    c.hostRef("host", host);
    c.require("host", host, "the host the service runs on");
    c.require("action", action, "what to do: " + String.join(", ", ACTIONS));
    if (action != null && !ACTIONS.contains(action)) {
      c.report(
          "action",
          "'" + action + "' is not a service action; use one of: " + String.join(", ", ACTIONS));
    }
    if (unit == null && command == null) {
      c.report(
          null,
          "missing field 'unit': a service step needs the systemd unit, or a custom command (with check)");
    }
    if (unit != null && command != null) {
      c.report("command", "give either unit (systemd) or command (custom), not both");
    }
    if (unit != null && !UNIT.matcher(unit).matches()) {
      c.report("unit", "'" + unit + "' is not a systemd unit name");
    }
    if (command != null && check == null) {
      c.report(
          "check",
          "missing field 'check': a custom service command needs a check command that exits 0 while the service runs, so the step can verify it");
    }
    if (unit != null && check != null) {
      c.report(
          "check",
          "field 'check' applies to custom commands; systemctl reports the unit's state itself");
    }
    c.positive("settle", settle);
  }
}
