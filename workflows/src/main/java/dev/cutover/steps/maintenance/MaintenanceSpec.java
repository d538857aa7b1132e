package dev.cutover.steps.maintenance;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.util.List;

/** The fields of a {@code maintenance} step: a maintenance page on or off. */
public record MaintenanceSpec(
    @Doc("Name of the host that shows the page (from hosts).") String host,
    @Doc("Run through `sudo -n` on the host (default: the host's sudo).") Boolean sudo,
    @Doc("on or off.") String action,
    @Doc("The flag file's absolute path on the host: present while the page is on.") String path,
    @Doc("The flag file's content (literal text, recorded in the history).") String content,
    @Doc("The command that turns the page on (instead of a file).") String onCommand,
    @Doc("The command that turns the page off.") String offCommand,
    @Doc("With onCommand/offCommand: a command that exits 0 while the page is on.") String check)
    implements StepSpec {
  static final List<String> ACTIONS = List.of("on", "off");

  @Override
  public void validate(SpecCheck c) {
    c.hostRef("host", host);
    c.require("host", host, "the host that shows the page");
    c.require("action", action, "on or off");
    if (action != null && !ACTIONS.contains(action)) {
      c.report("action", "'" + action + "' is not a maintenance action; use on or off");
    }
    boolean byFile = path != null;
    boolean byCommand = onCommand != null || offCommand != null;
    if (byFile == byCommand) {
      c.report(
          null,
          byFile
              ? "give either path (a flag file) or onCommand/offCommand, not both"
              : "missing field 'path': a maintenance step needs a flag file (path) or onCommand and offCommand");
    }
    if (byCommand && (onCommand == null || offCommand == null)) {
      c.report(
          null,
          "a maintenance step by command needs both onCommand and offCommand: each is the other's undo");
    }
    if (byFile && check != null) {
      c.report(
          "check",
          "field 'check' applies to onCommand/offCommand; with a flag file, its presence is the state");
    }
    c.filePath("path", path);
  }
}
