package dev.cutover.hosts.ssh;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.OutputLines;
import dev.cutover.hosts.OutputTail;
import dev.cutover.hosts.Pause;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.hosts.WrappedScript;
import dev.cutover.hosts.WrapperReport;
import dev.cutover.plan.Host;
import dev.cutover.secrets.ActivitySecrets;
import dev.cutover.secrets.SecretMask;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.transport.TransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scripts on a host over the worker's SSH connection to it, with the same semantics as {@link
 * dev.cutover.hosts.LocalShell}: output, tail, masking, beats, timeout and cancellation, stdin,
 * environment, working directory and sudo. How the command travels is {@link WrappedScript}'s.
 *
 * <p>A script that is stopped (timeout, or the watch's beat throws) is killed on the host with
 * everything it started, through a second channel on the same connection. A connection that drops
 * while a script runs is a retryable {@link CutoverErrors#CONNECTION_LOST}; the next script
 * reconnects.
 */
public final class SshShell implements HostShell {
  private static final Logger log = LoggerFactory.getLogger(SshShell.class);

  /**
   * How often the wait loop looks at the channel: short next to a beat, cheap next to a round trip.
   */
  private static final long POLL_MILLIS = 100;

  /**
   * How long output may still arrive after the exit status (background jobs holding the pipes), as
   * LocalShell waits.
   */
  private static final long OUTPUT_GRACE_MILLIS = 5000;

  /** How long to wait for the exit status once the output ended. */
  private static final int EXIT_STATUS_WAIT_SECONDS = 10;

  /**
   * The kill script sleeps a second between TERM and KILL; this is its round trip with room to
   * spare.
   */
  private static final int KILL_WAIT_SECONDS = 15;

  private final String hostName;
  private final Host host;
  private final SshConnections connections;

  SshShell(String hostName, Host host, SshConnections connections) {
    this.hostName = hostName;
    this.host = host;
    this.connections = connections;
  }

  @Override
  public String hostName() {
    return hostName;
  }

  @Override
  public ShellResult exec(ShellCommand command, ExecWatch watch) {
    Target target = Target.of(hostName, host);
    WrappedScript remote = WrappedScript.of(hostName, command);
    Run run = start(target, remote);
    return run.await(command, watch, remote);
  }

  /**
   * Opens a session and starts the command. A cached connection that turns out dead before the
   * command started is replaced once. That is safe even if the host had already accepted the exec
   * request: the script only travels on stdin, after the request was answered, so a command whose
   * channel died first never ran anything.
   */
  private Run start(Target target, WrappedScript remote) {
    for (int attempt = 1; ; attempt++) {
      Link link = connections.link(target);
      Session session = null;
      try {
        session = link.client().startSession();
        Session.Command cmd = session.exec(remote.commandLine());
        return new Run(target, link, cmd);
      } catch (OpenFailException e) {
        closeQuietly(session);
        if (!link.alive() && attempt == 1) {
          connections.discard(link);
          continue;
        }
        throw ApplicationFailure.newFailure(
            target.describe()
                + ": the host refused a new session ("
                + e.getReason()
                + "); too many commands at once on this host for sshd's MaxSessions (default 10)?",
            CutoverErrors.HOST_UNREACHABLE);
      } catch (IOException e) {
        closeQuietly(session);
        // A transport error means the connection is gone even if the client has not noticed yet; a
        // refused request on a live connection must not take down the other commands sharing it.
        boolean dead =
            !link.alive()
                || e instanceof TransportException
                || e.getCause() instanceof TransportException;
        if (dead) {
          connections.discard(link);
          if (attempt == 1) {
            continue;
          }
        }
        throw ApplicationFailure.newFailure(
            target.describe() + ": cannot start a command: " + SshConnections.cause(e, target),
            CutoverErrors.CONNECTION_LOST);
      }
    }
  }

  private static void closeQuietly(Session session) {
    if (session != null) {
      try {
        session.close();
      } catch (IOException | RuntimeException e) {
        // already closed
      }
    }
  }

  /** One running command: its streams, the markers from the launcher, and how to stop it. */
  private final class Run {
    private final Target target;
    private final Link link;
    private final Session.Command cmd;
    private volatile WrapperReport report;

    Run(Target target, Link link, Session.Command cmd) {
      this.target = target;
      this.link = link;
      this.cmd = cmd;
    }

    ShellResult await(ShellCommand command, ExecWatch watch, WrappedScript remote) {
      OutputTail tail = new OutputTail(TAIL_CHARS, command.mask());
      report = new WrapperReport(hostName, command, tail, watch);
      StringBuilder stdout = new StringBuilder();
      boolean[] stdoutCut = new boolean[1];
      long started = System.nanoTime();
      CountDownLatch ended = new CountDownLatch(2);
      LinePump out =
          new LinePump(
              cmd.getInputStream(),
              "out",
              tail.secrets(),
              line -> {
                synchronized (stdout) {
                  if (stdout.length() + line.length() < STDOUT_LIMIT) {
                    stdout.append(line).append('\n');
                  } else {
                    stdoutCut[0] = true;
                  }
                }
                watch.line(tail.add(line));
              },
              ended);
      LinePump err =
          new LinePump(
              cmd.getErrorStream(),
              "err",
              tail.secrets(),
              line -> {
                if (report.take(line)) {
                  return;
                }
                watch.line(tail.add(line));
              },
              ended);
      feed(remote.stdinPrefix(), command.stdin());

      long deadline = started + command.timeout().toNanos();
      long nextBeat = started + BEAT_EVERY.toNanos();
      boolean timedOut = false;
      try {
        while (!finished(ended)) {
          long now = System.nanoTime();
          if (now >= deadline) {
            timedOut = true;
            stop(command.sudo());
            break;
          }
          if (now >= nextBeat) {
            watch.beat(elapsedMillis(started), tail.lastLine());
            nextBeat = System.nanoTime() + BEAT_EVERY.toNanos();
          }
          ended.await(
              Math.max(1, Math.min(POLL_MILLIS, (Math.min(deadline, nextBeat) - now) / 1_000_000)),
              TimeUnit.MILLISECONDS);
        }
        if (timedOut) {
          out.join(OUTPUT_GRACE_MILLIS);
          err.join(OUTPUT_GRACE_MILLIS);
        } else {
          if (exitKnown()) {
            out.join(OUTPUT_GRACE_MILLIS);
            err.join(OUTPUT_GRACE_MILLIS);
          }
          awaitExitStatus();
        }
      } catch (RuntimeException e) {
        stop(command.sudo());
        throw e;
      } catch (InterruptedException e) {
        stop(command.sudo());
        throw Pause.interrupted("host " + hostName);
      } finally {
        closeChannel();
      }
      long duration = elapsedMillis(started);
      ApplicationFailure notStarted = report.failure(target.user());
      if (notStarted != null) {
        throw notStarted;
      }
      if (!timedOut && (out.error() != null || err.error() != null || !exitKnown())) {
        throw lost(command, tail, duration, out.error() != null ? out.error() : err.error());
      }
      String captured;
      synchronized (stdout) {
        captured = stdout.toString();
      }
      return new ShellResult(
          timedOut ? -1 : exitCode(),
          captured,
          tail.text(),
          tail.truncated() || stdoutCut[0],
          timedOut,
          duration);
    }

    private boolean finished(CountDownLatch ended) {
      return ended.getCount() == 0 || exitKnown() || !cmd.isOpen();
    }

    private boolean exitKnown() {
      return cmd.getExitStatus() != null || cmd.getExitSignal() != null;
    }

    private void awaitExitStatus() {
      if (exitKnown()) {
        return;
      }
      try {
        cmd.join(EXIT_STATUS_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (ConnectionException e) {
        // the connection failed, or no close came in time: the caller sees that no exit status
        // arrived
      }
    }

    private int exitCode() {
      Integer status = cmd.getExitStatus();
      if (status != null) {
        return status;
      }
      // Killed by a signal: report it as a local shell does, 128 + the signal's number.
      return 128 + signalNumber(cmd.getExitSignal());
    }

    /** Writes preamble, script and the command's stdin, then end of file. */
    private void feed(byte[] prefix, byte[] stdin) {
      Thread writer =
          new Thread(
              () -> {
                try (OutputStream in = cmd.getOutputStream()) {
                  in.write(prefix);
                  if (stdin != null) {
                    in.write(stdin);
                  }
                  in.flush();
                } catch (IOException e) {
                  // the script exited without reading all of its input, or the connection dropped:
                  // the rest says which
                }
              },
              "ssh-stdin-" + hostName);
      writer.setDaemon(true);
      writer.start();
    }

    /**
     * Kills the script's process group on the host, then closes the channel. Best effort: when the
     * connection is gone a fresh one is used; failures are logged, not thrown, so the reason the
     * script was stopped is what the caller sees.
     */
    private void stop(boolean sudo) {
      long group = report.pgid();
      if (group <= 1 && cmd.isOpen()) {
        // The wrapper may still be stopping what an earlier attempt left: the script starts after
        // that.
        try {
          group = report.awaitPgid();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (group > 1) {
        killGroup(link.alive() ? link : null, group, sudo);
      } else {
        log.warn(
            "ssh: host {}: the script did not report its process group; closing its channel without killing anything",
            hostName);
      }
      closeChannel();
    }

    /**
     * Runs the kill script over {@code via}, or over the cached (or a new) connection when it is
     * null or fails.
     */
    private void killGroup(Link via, long group, boolean sudo) {
      Link use = via;
      for (int attempt = 1; ; attempt++) {
        try {
          if (use == null) {
            use = connections.link(target);
          }
          try (Session session = use.client().startSession()) {
            Session.Command kill = session.exec(WrappedScript.killCommand(group, sudo));
            kill.getOutputStream().close();
            kill.join(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
            Integer status = kill.getExitStatus();
            if (status == null || status != 0) {
              log.warn(
                  "ssh: host {}: stopping the script's process group {} failed (exit {}); it may still run",
                  hostName,
                  group,
                  status);
            }
          }
          return;
        } catch (IOException e) {
          if (attempt == 2) {
            log.warn(
                "ssh: host {}: could not stop the script's process group {}: {}; it may still run",
                hostName,
                group,
                ActivitySecrets.mask(e.toString()));
            return;
          }
          // the connection died under us: once more over a new one
          connections.discard(use);
          use = null;
        } catch (RuntimeException e) {
          log.warn(
              "ssh: host {}: could not stop the script's process group {}: {}; it may still run",
              hostName,
              group,
              ActivitySecrets.mask(e.toString()));
          return;
        }
      }
    }

    private ApplicationFailure lost(
        ShellCommand command, OutputTail tail, long duration, IOException cause) {
      if (cause != null || !link.alive()) {
        // A read failed because the transport died (sshj fails channels only then), possibly before
        // the client noticed; a channel that merely closed early leaves a live shared connection
        // alone.
        connections.discard(link);
      }
      long group = report.pgid();
      if (group > 1) {
        killGroup(null, group, command.sudo());
      }
      String last = tail.lastLine();
      String why =
          cause == null
              ? "the host closed the session without an exit status"
              : SshConnections.cause(cause, target);
      RunResult details = new RunResult(-1, tail.text(), duration, tail.truncated());
      return ApplicationFailure.newFailureWithCause(
          target.describe()
              + ": the connection was lost while the script ran ("
              + why
              + ")"
              + (last.isEmpty() ? "" : "; last output: " + last),
          CutoverErrors.CONNECTION_LOST,
          null,
          details);
    }

    private void closeChannel() {
      try {
        cmd.close();
      } catch (IOException | RuntimeException e) {
        // already closed, or the connection is gone
      }
    }
  }

  private static int signalNumber(Signal signal) {
    if (signal == null) {
      return 0;
    }
    return switch (signal) {
      case HUP -> 1;
      case INT -> 2;
      case QUIT -> 3;
      case ILL -> 4;
      case ABRT -> 6;
      case FPE -> 8;
      case KILL -> 9;
      case USR1 -> 10;
      case SEGV -> 11;
      case USR2 -> 12;
      case PIPE -> 13;
      case ALRM -> 14;
      case TERM -> 15;
      default -> 0;
    };
  }

  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /**
   * Reads a channel stream into lines ({@link OutputLines}); remembers a read failure: that is how
   * a dropped connection shows.
   */
  private static final class LinePump {
    private final Thread thread;
    private volatile IOException error;

    LinePump(
        InputStream stream,
        String name,
        SecretMask mask,
        Consumer<String> lines,
        CountDownLatch ended) {
      thread =
          new Thread(
              () -> {
                try {
                  OutputLines.read(stream, mask, lines);
                } catch (IOException e) {
                  error = e;
                } finally {
                  ended.countDown();
                }
              },
              "ssh-" + name);
      thread.setDaemon(true);
      thread.start();
    }

    IOException error() {
      return error;
    }

    void join(long millis) throws InterruptedException {
      thread.join(millis);
    }
  }
}
