package dev.cutover.e2e.browser;

import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Explicit waits with a sentence for what was awaited, so a timeout says what the page did not
 * show. Polls often: the UI answers in tens of milliseconds and the e2e waits on every step.
 */
final class Waits {
  private static final Duration POLL = Duration.ofMillis(100);

  private final WebDriver driver;
  private final Duration timeout;

  Waits(WebDriver driver, Duration timeout) {
    this.driver = driver;
    this.timeout = timeout;
  }

  Duration timeout() {
    return timeout;
  }

  <T> T until(String what, Function<WebDriver, T> condition) {
    return until(what, timeout, condition);
  }

  <T> T until(String what, Duration within, Function<WebDriver, T> condition) {
    WebDriverWait wait = new WebDriverWait(driver, within, POLL);
    wait.withMessage(what);
    // The UI re-renders parts of the page as data arrives; a vanished element is a reason to look
    // again.
    wait.ignoring(StaleElementReferenceException.class);
    wait.ignoring(NoSuchElementException.class);
    return wait.until(condition);
  }

  /**
   * Waits until an element stops moving: the dialog scales in, and it grows when the editor
   * re-indents the JSON; a click sent meanwhile lands beside the button.
   */
  void untilStill(String what, WebElement element) {
    Rectangle[] last = {null};
    until(
        what + " to stop moving",
        d -> {
          Rectangle now = element.getRect();
          boolean still = now.equals(last[0]);
          last[0] = now;
          return still;
        });
  }
}
