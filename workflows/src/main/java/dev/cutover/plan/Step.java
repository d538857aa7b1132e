package dev.cutover.plan;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One typed step. Common fields come first; the rest belong to the step kinds that use them (see
 * docs/plan.md, one section per kind), and the validator refuses a field on a kind that does not use it.
 */
@Doc("One step of a phase.")
public record Step(
    @Doc("Unique name of the step in the plan; operators decide on it by this name. Required except in undo.") String name,
    @Required @Doc("The kind of step.") StepKind kind,
    @Doc("Name of the host the step acts on (from hosts).") String host,
    @Doc("Free text shown in status, the UI and reports.") String description,
    @Doc("Longest time one attempt may take (default 10m).") Duration timeout,
    @Doc("Retry policy for the step's attempts.") Retry retry,
    @Doc("What to do when the retries are spent: ask (default), abort or continue.") OnFailure onFailure,
    @Doc("The step that reverts this one when the migration is aborted before the point of no return. service, cron, maintenance and put steps undo themselves without one.")
        Step undo,
    @Doc("After this step starts, abort no longer undoes finished steps: it stops and holds.")
        Boolean pointOfNoReturn,
    @Doc("Run through `sudo -n` on the host (default: the host's sudo).") Boolean sudo,
    @Doc("run: the command, passed to sh -c exactly as written. service: a custom command that performs the action instead of systemctl.")
        String command,
    @Doc("run: working directory.") String cwd,
    @Doc("run: environment variables with literal values.") Map<String, String> env,
    @Doc("run: environment variables whose values come from named secrets.") Map<String, String> secretEnv,
    @Doc("wait: how long to wait.") Duration duration,
    @Doc("rsync, cron: the host to copy from.") String from,
    @Doc("rsync, cron: the host to copy to.") String to,
    @Doc("rsync: the directory to copy, on the from host; its contents are copied.") String source,
    @Doc("rsync: the directory to copy into, on the to host.") String target,
    @Doc("rsync: patterns to leave out, relative to source (rsync --exclude).") List<String> excludes,
    @Doc("rsync: delete files on the target that are not in the source (default false).") Boolean delete,
    @Doc("rsync: keep partly sent files so a retry resumes them (default true).") Boolean partial,
    @Doc("rsync: transfer rate limit in KiB per second.") Integer bwlimit,
    @Doc("rsync: run rsync on the to host, pulling from the from host (default: run on the from host and push).")
        Boolean pull,
    @Doc("rsync: private key file on the host that runs rsync, for its connection to the other host (default: that user's own ssh keys).")
        String identity,
    @Doc("service: the systemd unit, like app.service.") String unit,
    @Doc("service: start, stop, restart, enable or disable. maintenance: on or off.") String action,
    @Doc("service: a command that exits 0 while the service runs (enable, disable: while it is enabled), with a custom command. maintenance: a command that exits 0 while the page is on.")
        String check,
    @Doc("service: how long the unit may take to reach its state (default 60s).") Duration settle,
    @Doc("cron: the user whose crontab moves.") String user,
    @Doc("cron: replace a different crontab already on the to host (default false: stop before changing anything).")
        Boolean replace,
    @Doc("put, maintenance: the file's absolute path on the host.") String path,
    @Doc("put, maintenance: the file's content (literal text, recorded in the history).") String content,
    @Doc("put: name of the secret (under secrets) whose value is the file's content; it never enters the history.")
        String contentSecret,
    @Doc("put: the file's mode in octal, like 0644 (quote it in YAML).") String mode,
    @Doc("put: the file's owner, user or user:group.") String owner,
    @Doc("maintenance: the command that turns the page on (instead of a file).") String onCommand,
    @Doc("maintenance: the command that turns the page off.") String offCommand) {

  public Step {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    secretEnv = secretEnv == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secretEnv));
    excludes = excludes == null ? List.of() : List.copyOf(excludes);
  }

  public OnFailure onFailureOrDefault() {
    return onFailure == null ? OnFailure.ASK : onFailure;
  }

  public boolean isPointOfNoReturn() {
    return Boolean.TRUE.equals(pointOfNoReturn);
  }

  /** The same step under another name, without undo or point of no return: how an undo runs. */
  public Step asUndo(String undoName) {
    return new Step(undoName, kind, host, description, timeout, retry, onFailure, null, null, sudo, command, cwd, env, secretEnv,
        duration, from, to, source, target, excludes, delete, partial, bwlimit, pull, identity, unit, action, check, settle, user,
        replace, path, content, contentSecret, mode, owner, onCommand, offCommand);
  }

  /** A run step, as tests and the demo build them. */
  public static Step run(String name, String host, String command) {
    return new Step(name, StepKind.RUN, host, null, null, null, null, null, null, null, command, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null);
  }

  /** Where the step acts, for status and messages: its host, or "old -> new" for a copy between hosts. */
  public String placeText() {
    if (host != null) {
      return host;
    }
    return from != null && to != null ? from + " -> " + to : null;
  }

  /** The hosts the step acts on, for status and preflight. */
  public List<String> hosts() {
    List<String> names = new java.util.ArrayList<>();
    for (String h : new String[] {host, from, to}) {
      if (h != null && !names.contains(h)) {
        names.add(h);
      }
    }
    return names;
  }
}
