package dev.cutover.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Host;
import dev.cutover.plan.Transport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.run.RunActivities;
import dev.cutover.steps.run.RunActivitiesImpl;
import dev.cutover.steps.run.RunRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** HostShells is the one place that ties scripts to the activity attempt they run for. */
class HostShellsTest {
  static final Host SSH_HOST =
      new Host(
          Transport.SSH,
          "10.231.0.99",
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);

  /**
   * Every command that reached the host, with the attempt the activity itself says it is in (null
   * outside one).
   */
  final List<ShellCommand> commands = new CopyOnWriteArrayList<>();

  final List<ActivityAttempt> expected = new CopyOnWriteArrayList<>();

  final HostShells shells =
      new HostShells(
          new SshTransport() {
            @Override
            public HostShell shell(String hostName, Host host) {
              return new HostShell() {
                @Override
                public String hostName() {
                  return hostName;
                }

                @Override
                public ShellResult exec(ShellCommand command, ExecWatch watch) {
                  commands.add(command);
                  expected.add(attemptAsTemporalSaysIt());
                  return new ShellResult(0, "", "", false, false, 1);
                }
              };
            }

            @Override
            public String knownHostsLine(String hostName, Host host) {
              throw new UnsupportedOperationException();
            }
          },
          Set.of());

  @Test
  void scriptsOfAStepActivityRunForItsAttemptAndEachActivityHasItsOwnKey() {
    // given the run step's activity in Temporal's test environment, on an ssh host
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(
          new RunActivitiesImpl(new SecretResolver(Map.of()), shells));
      RunActivities stub =
          env.newActivityStub(
              RunActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      RunRequest request =
          new RunRequest(
              "s1",
              "old",
              SSH_HOST,
              "true",
              null,
              Map.of(),
              Map.of(),
              Duration.ofSeconds(30),
              false);

      // when two activities run their command (the step's code sets no attempt itself)
      stub.run(request);
      stub.run(request);

      // then each command carried its activity's key and attempt, and the two keys differ
      assertThat(commands).hasSize(2);
      assertThat(commands.get(0).attempt()).isNotNull().isEqualTo(expected.get(0));
      assertThat(commands.get(1).attempt()).isNotNull().isEqualTo(expected.get(1));
      assertThat(commands.get(0).attempt().key()).isNotEqualTo(commands.get(1).attempt().key());
    } finally {
      env.close();
    }
  }

  @Test
  void outsideAnActivityScriptsRunForNoAttempt() {
    // given a shell asked for outside any activity (a CLI check)
    HostShell shell = shells.shell("old", SSH_HOST);

    // when a script runs
    shell.exec(ShellCommand.of("true", Duration.ofSeconds(30)));

    // then it carries no attempt: nothing is recorded on the host and nothing is stopped
    assertThat(commands)
        .singleElement()
        .satisfies(command -> assertThat(command.attempt()).isNull());
  }

  @Test
  void aCommandThatNamesItsAttemptKeepsIt() {
    // given a shell of an activity, and a command that already says which attempt it runs for
    ActivityAttempt own = ActivityAttempt.of("wf", "run", "9", 3);
    HostShell shell =
        new AttemptShell(
            shells.shell("old", SSH_HOST),
            ActivityAttempt.of("wf", "run", "1", 1),
            dev.cutover.secrets.SecretMask.NONE);

    // when it runs
    shell.exec(ShellCommand.of("true", Duration.ofSeconds(30)).withAttempt(own));

    // then its own attempt is kept
    assertThat(commands)
        .singleElement()
        .satisfies(command -> assertThat(command.attempt()).isEqualTo(own));
  }

  /** The attempt from the activity's own info, or null when not called inside an activity. */
  private static ActivityAttempt attemptAsTemporalSaysIt() {
    try {
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      return ActivityAttempt.of(
          info.getWorkflowId(), info.getWorkflowRunId(), info.getActivityId(), info.getAttempt());
    } catch (IllegalStateException outside) {
      return null;
    }
  }
}
