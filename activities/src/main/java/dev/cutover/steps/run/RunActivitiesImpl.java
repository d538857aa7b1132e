package dev.cutover.steps.run;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellFailures;
import dev.cutover.hosts.ShellResult;
import dev.cutover.secrets.SecretResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs {@code run} steps: {@code sh -c COMMAND} on the step's host, on the worker's machine ({@code
 * local}) or over SSH, with the plan's environment and resolved secrets, a timeout, and heartbeats
 * that carry the last output line.
 */
public class RunActivitiesImpl implements RunActivities {
  private final SecretResolver secrets;
  private final HostShells shells;

  public RunActivitiesImpl(SecretResolver secrets) {
    this(secrets, Set.of());
  }

  /**
   * Local hosts only; @param passEnv further worker variables the operator lets through
   * (cutover.run.pass-env)
   */
  public RunActivitiesImpl(SecretResolver secrets, Set<String> passEnv) {
    this(secrets, new HostShells(new NoSshTransport(), passEnv));
  }

  public RunActivitiesImpl(SecretResolver secrets, HostShells shells) {
    this.secrets = secrets;
    this.shells = shells;
  }

  @Override
  public RunResult run(RunRequest request) {
    return run(request, Heartbeat.ofActivity());
  }

  /**
   * Runs the command; {@code heartbeat} throws when Temporal asks to cancel, which kills the
   * command.
   */
  RunResult run(RunRequest request, Heartbeat<RunProgress> heartbeat) {
    return ShellFailures.inStep(request.step(), () -> runOnHost(request, heartbeat));
  }

  private RunResult runOnHost(RunRequest request, Heartbeat<RunProgress> heartbeat) {
    HostShell shell = shells.shell(request.hostName(), request.host());
    Map<String, String> env = new LinkedHashMap<>(request.env());
    List<String> secretValues = new ArrayList<>();
    request
        .secretEnv()
        .forEach(
            (name, ref) -> {
              String value = secrets.resolve(ref);
              secretValues.add(value);
              env.put(name, value);
            });
    ShellCommand command =
        new ShellCommand(
            request.command(),
            env,
            secretValues,
            request.cwd(),
            request.sudo(),
            null,
            request.timeout());
    ShellResult result =
        shell.exec(
            command,
            new ExecWatch() {
              @Override
              public void beat(long elapsedMillis, String lastLine) {
                heartbeat.beat(new RunProgress(elapsedMillis, lastLine));
              }
            });
    ShellFailures.check("step " + request.step() + " on host " + request.hostName(), result);
    return result.asRunResult();
  }
}
