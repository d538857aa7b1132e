package dev.cutover.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Prompts that the Temporal UI (or another terminal) may answer first, read from a pipe as stdin.
 */
class PromptInputTest {
  /** Only a broken read waits this long; the test fails instead of hanging. */
  private static final long PATIENCE_SECONDS = 30;

  @Test
  void aPromptSettledElsewhereStopsWaitingAndTheNextPromptGetsTheLineTypedLater() throws Exception {
    // given a prompt waiting on a keyboard nobody types on
    PipedOutputStream keyboard = new PipedOutputStream();
    PromptInput input = new PromptInput(new PipedInputStream(keyboard));
    AtomicBoolean approvedInTheUi = new AtomicBoolean();
    CompletableFuture<Optional<String>> first =
        CompletableFuture.supplyAsync(() -> read(input, approvedInTheUi::get, true));

    // when the question is answered elsewhere
    approvedInTheUi.set(true);

    // then the prompt ends with no line
    assertThat(first.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEmpty();

    // and a line typed afterwards answers the next prompt
    CompletableFuture<Optional<String>> second =
        CompletableFuture.supplyAsync(() -> read(input, () -> false, true));
    keyboard.write("  y \n".getBytes(StandardCharsets.UTF_8));
    keyboard.flush();
    assertThat(second.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).contains("y");
    keyboard.close();
  }

  @Test
  void linesAreHandedOutOnePerPromptInOrder() throws Exception {
    // given two answers waiting in the input
    PromptInput input =
        new PromptInput(new ByteArrayInputStream("y\nretry\n".getBytes(StandardCharsets.UTF_8)));

    // when two prompts read, then each gets its own line
    assertThat(input.read(() -> false, false)).contains("y");
    assertThat(input.read(() -> false, false)).contains("retry");
  }

  @Test
  void theEndOfTheInputIsNoAnswerUnlessThePromptMayWaitForTheOtherWay() throws Exception {
    // given an input that is already at its end
    PromptInput plain = new PromptInput(new ByteArrayInputStream(new byte[0]));
    PromptInput withUi = new PromptInput(new ByteArrayInputStream(new byte[0]));
    AtomicBoolean approvedInTheUi = new AtomicBoolean();

    // when a prompt without another way reads, then it gets no answer at once
    assertThat(plain.read(() -> false, false)).contains("");

    // when a prompt with the UI reads, then it keeps waiting until the UI answers
    CompletableFuture<Optional<String>> waiting =
        CompletableFuture.supplyAsync(() -> read(withUi, approvedInTheUi::get, true));
    assertThat(waiting).isNotDone();
    approvedInTheUi.set(true);
    // (an answer of "" here would mean the end of the input was taken as a refusal)
    assertThat(waiting.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEmpty();
  }

  private static Optional<String> read(
      PromptInput input, java.util.function.BooleanSupplier settled, boolean waitAfterEnd) {
    try {
      return input.read(settled, waitAfterEnd);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
