package dev.cutover.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Answers to prompts that something else may settle first: a gate the Temporal UI approves while
 * the demo asks at the terminal. A read from stdin cannot be interrupted in Java, so one daemon
 * thread reads, and only when a prompt asked for a line: a prompt settled elsewhere leaves that one
 * read open and the next prompt takes its line, nothing is read ahead, and the thread never keeps
 * the JVM alive after the demo.
 */
final class PromptInput {
  /** How often a waiting prompt checks whether it was settled elsewhere. */
  private static final Duration CHECK = Duration.ofMillis(300);

  /** Stands for the end of the input in the queue (a queue takes no null). */
  private static final String EOF = new String("\u0000eof");

  private final InputStream source;
  private final Semaphore wanted = new Semaphore(0);
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private Thread reader;
  private boolean requested;
  private boolean ended;

  PromptInput(InputStream source) {
    this.source = source;
  }

  /**
   * The next line typed, or empty once {@code settledElsewhere} says the question was answered some
   * other way. At the end of the input: "" (no answer) unless {@code waitAfterEnd}, which keeps
   * waiting for the other way only.
   */
  Optional<String> read(BooleanSupplier settledElsewhere, boolean waitAfterEnd)
      throws InterruptedException {
    while (true) {
      if (!ended && !requested) {
        requested = true;
        startReader();
        wanted.release();
      }
      String line = ended ? null : lines.poll(CHECK.toMillis(), TimeUnit.MILLISECONDS);
      if (line != null) {
        requested = false;
        if (line != EOF) {
          return Optional.of(line.trim());
        }
        ended = true;
        if (!waitAfterEnd) {
          return Optional.of("");
        }
      } else if (ended) {
        Thread.sleep(CHECK.toMillis());
      }
      if (settledElsewhere.getAsBoolean()) {
        return Optional.empty();
      }
    }
  }

  private void startReader() {
    if (reader != null) {
      return;
    }
    reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(source, StandardCharsets.UTF_8))) {
                while (true) {
                  wanted.acquire();
                  String line = in.readLine();
                  lines.add(line == null ? EOF : line);
                  if (line == null) {
                    return;
                  }
                }
              } catch (IOException e) {
                lines.add(EOF);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "demo-prompt-input");
    reader.setDaemon(true);
    reader.start();
  }
}
