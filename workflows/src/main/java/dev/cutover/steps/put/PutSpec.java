package dev.cutover.steps.put;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.util.regex.Pattern;

/** The fields of a {@code put} step: write a file. */
public record PutSpec(
    @Doc("Name of the host to write on (from hosts).") String host,
    @Doc("Write through `sudo -n` on the host (default: the host's sudo).") Boolean sudo,
    @Doc("The file's absolute path on the host.") String path,
    @Doc("The file's content (literal text, recorded in the history).") String content,
    @Doc(
            "Name of the secret (under secrets) whose value is the file's content; it never enters the history.")
        String contentSecret,
    @Doc("The file's mode in octal, like 0644 (quote it in YAML).") String mode,
    @Doc("The file's owner, user or user:group.") String owner,
    @Doc(
            "Keep the previous file's backup (PATH.cutover-MIGRATION-RUN-STEP.bak) or absent marker once the migration has completed (default false: they are removed then).")
        Boolean keepBackup)
    implements StepSpec {
  static final Pattern OWNER =
      Pattern.compile("[a-z_][a-z0-9_.-]{0,31}(:[a-z_][a-z0-9_.-]{0,31})?");
  static final Pattern MODE = Pattern.compile("0?[0-7]{3,4}");

  public boolean keepBackupOrDefault() {
    return Boolean.TRUE.equals(keepBackup);
  }

  @Override
  public void validate(SpecCheck c) {
    c.hostRef("host", host);
    c.require("host", host, "the host to write on");
    c.require("path", path, "the file to write");
    if (path != null && !path.isBlank()) {
      c.filePath("path", path);
    }
    if ((content == null) == (contentSecret == null)) {
      c.report(
          null,
          content == null
              ? "missing field 'content': a put step needs content, or contentSecret naming a secret"
              : "give either content or contentSecret, not both");
    }
    if (contentSecret != null && !c.secretKnown(contentSecret)) {
      c.report("contentSecret", "names no entry under secrets" + c.declaredSecrets());
    }
    if (mode != null && !MODE.matcher(mode).matches()) {
      c.report(
          "mode",
          "'" + mode + "' is not an octal mode like 0644 (quote it in YAML: mode: \"0644\")");
    }
    if (owner != null && !OWNER.matcher(owner).matches()) {
      c.report("owner", "'" + owner + "' is not user or user:group");
    }
  }
}
