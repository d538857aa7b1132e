package dev.cutover.e2e.browser;

import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;

/**
 * The UI renders some controls twice (a desktop and a hidden narrow-screen copy of the workflow's
 * actions, two signal dialogs): a locator is only useful together with "the one a person can see".
 */
final class Visible {
  private Visible() {}

  static Optional<WebElement> first(SearchContext context, By by) {
    for (WebElement e : context.findElements(by)) {
      try {
        if (e.isDisplayed()) {
          return Optional.of(e);
        }
      } catch (StaleElementReferenceException re_rendered) {
        // Svelte replaced it while we looked; the next poll finds the new one.
      }
    }
    return Optional.empty();
  }

  /** For waits: the visible element, or null to poll again. */
  static WebElement orNull(SearchContext context, By by) {
    return first(context, by).orElse(null);
  }

  /**
   * textContent, not getText(): the status badge is upper-cased by CSS ("RUNNING"), its text is
   * "Running".
   */
  static String textContent(WebElement e) {
    String t = e.getAttribute("textContent");
    return t == null ? "" : t.strip();
  }
}
