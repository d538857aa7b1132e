package dev.cutover.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether a process a step started is still running on this machine. */
public final class ProcessCheck {
  private ProcessCheck() {}

  public static long readPid(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).trim());
  }

  /**
   * Whether the process is gone, allowing time for the cancellation to reach the activity (it
   * learns of it from a heartbeat) and for SIGKILL to land. A killed process nobody has reaped yet
   * is a zombie: it runs nothing, so it counts as gone ({@code kill -0} and {@link
   * ProcessHandle#isAlive} still see zombies).
   */
  public static boolean isGoneSoon(long pid) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      if (!isRunning(pid)) {
        return true;
      }
      Thread.sleep(100);
    }
    return false;
  }

  public static boolean isRunning(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      char state = stat.charAt(stat.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }
}
