package dev.cutover.e2e.browser;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Supplier;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriverException;

/**
 * Runs the approval as named steps and prints one line per step, so a failed run says where it
 * stopped and what was missing instead of a WebDriver stack trace.
 */
final class Steps {
  private final PrintWriter out;

  Steps(PrintWriter out) {
    this.out = out;
  }

  /** Runs one step and prints what it did as {@code ui: DONE}. */
  void run(String step, Supplier<String> body) {
    long start = System.nanoTime();
    String done = get(step, body);
    out.println(
        String.format(Locale.ROOT, "ui: %s [%.1fs]", done, (System.nanoTime() - start) / 1e9));
    out.flush();
  }

  /** Runs one step for its result, printing nothing. */
  <T> T get(String step, Supplier<T> body) {
    try {
      return body.get();
    } catch (StepFailure f) {
      throw f;
    } catch (TimeoutException e) {
      throw new StepFailure(step, timedOut(e), e);
    } catch (WebDriverException e) {
      throw new StepFailure(step, firstLine(e.getMessage()), e);
    } catch (RuntimeException e) {
      // The page's own refusals (a closed workflow, a disabled menu item) and failed writes.
      throw new StepFailure(step, firstLine(e.getMessage()), e);
    }
  }

  /**
   * Selenium's message is "Expected condition failed: WHAT (tried for N second(s) ...)" plus build
   * info.
   */
  private static String timedOut(TimeoutException e) {
    String line = firstLine(e.getMessage());
    return line.replaceFirst("^Expected condition failed: waiting for ", "timed out waiting for ")
        .replaceFirst("^Expected condition failed: ", "timed out: ");
  }

  static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
