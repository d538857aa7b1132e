package dev.cutover.e2e.browser;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Event History tab: the lasting proof that the server took the signal. Each event is a {@code
 * tr[data-testid=event-summary-row]} carrying {@code data-eventid}; expanding one adds a row below
 * it with the event's fields, for a signal its input.
 */
final class EventHistory {
  private static final By HISTORY_TAB = By.cssSelector("[data-testid='history-tab']");
  private static final String SIGNALED = "Workflow Execution Signaled";

  private final ChromeDriver driver;
  private final Waits waits;

  EventHistory(ChromeDriver driver, Waits waits) {
    this.driver = driver;
    this.waits = waits;
  }

  /**
   * Opens the tab, finds the newest WorkflowExecutionSignaled event of this signal, expands it
   * until its input shows the gate, comment and by that were sent, and scrolls it to the middle of
   * the page.
   */
  String showSignaled(String signal, ApprovalJson json) {
    waits.until("waiting for the Event History tab", d -> Visible.orNull(d, HISTORY_TAB)).click();
    String eventId =
        waits.until(
            "waiting for a '" + SIGNALED + "' event of signal " + signal + " in the event history",
            d -> newestSignaled(signal));
    By row = By.cssSelector("tr[data-testid='event-summary-row'][data-eventid='" + eventId + "']");
    List<String> sent =
        List.of(
            ApprovalJson.encoded(json.request().gate()),
            ApprovalJson.encoded(json.request().comment()),
            ApprovalJson.encoded(json.request().by()));
    // The table refreshes itself while the run goes on: find the row anew on each poll, and click
    // "Expand details" only while it says it is collapsed, so a poll never folds it back.
    waits.until(
        "waiting for event " + eventId + " to show the input " + json.text(),
        d -> {
          WebElement r = d.findElement(row);
          WebElement expand = r.findElement(By.cssSelector("button[aria-expanded]"));
          if ("false".equals(expand.getAttribute("aria-expanded"))) {
            // Rows near the bottom sit under the sticky page-size footer: bring the row up first.
            centre(r);
            expand.click();
            return null;
          }
          String details =
              String.valueOf(
                  driver.executeScript("return arguments[0].nextElementSibling.textContent", r));
          return sent.stream().allMatch(details::contains) ? true : null;
        });
    centre(driver.findElement(row));
    return "history shows event "
        + eventId
        + " "
        + SIGNALED
        + " "
        + signal
        + " with the input sent";
  }

  /**
   * Scrolls the row to the middle of the window, and back to the left edge: the table is wider than
   * the window, and scrolling it sideways slides the page under the navigation bar.
   */
  private void centre(WebElement row) {
    driver.executeScript(
        """
        arguments[0].scrollIntoView({block: 'center', inline: 'start'});
        for (let e = arguments[0]; e; e = e.parentElement) e.scrollLeft = 0;
        window.scrollTo(0, window.scrollY);""",
        row);
  }

  /**
   * The highest event ID among the signal's Signaled rows, or null while there is none. One script
   * reads the rendered rows (innerText, what a person sees): asking WebDriver for each row's text
   * costs a round trip per row, seconds on a history of a hundred events.
   */
  private String newestSignaled(String signal) {
    Object id =
        driver.executeScript(
            """
        let newest = null;
        for (const row of document.querySelectorAll(arguments[0])) {
          const lines = row.innerText.split(/[\\t\\n]/).map(l => l.trim());
          if (lines.includes(arguments[1]) && lines.includes(arguments[2])) {
            const id = Number(row.dataset.eventid);
            if (newest === null || id > newest) newest = id;
          }
        }
        return newest === null ? null : String(newest);""",
            "tr[data-testid='event-summary-row']",
            SIGNALED,
            signal);
    return (String) id;
  }
}
