package dev.cutover.e2e.browser;

import java.util.List;
import java.util.function.Predicate;
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
  private static final String UPDATE_ACCEPTED = "Workflow Execution Update Accepted";
  private static final String UPDATE_COMPLETED = "Workflow Execution Update Completed";

  /** The label of an Update Completed event's result in its details. */
  private static final String OUTCOME = "Outcome";

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
    openTab();
    String eventId =
        waits.until(
            "waiting for a '" + SIGNALED + "' event of signal " + signal + " in the event history",
            d -> newest(SIGNALED, signal, 0));
    List<String> input = sent(json);
    expandUntilShown(
        eventId,
        "the input " + json.text(),
        details -> input.stream().allMatch(details::contains),
        false);
    return "history shows event "
        + eventId
        + " "
        + SIGNALED
        + " "
        + signal
        + " with the input sent";
  }

  /**
   * Opens the tab, finds the newest WorkflowExecutionUpdateAccepted event of this update with the
   * input sent, then the Update Completed event after it, and returns the workflow's answer as the
   * page shows it under the Completed event's Outcome (it must name the gate). UI 2.54 shows an
   * update as one row once it completed: expanding it shows both events.
   */
  String showUpdateCompleted(String update, ApprovalJson json) {
    openTab();
    String accepted =
        waits.until(
            "waiting for a '" + UPDATE_ACCEPTED + "' event of update " + update,
            d -> newest(UPDATE_ACCEPTED, update, 0));
    String completed =
        waits.until(
            "waiting for a '" + UPDATE_COMPLETED + "' event after event " + accepted,
            d -> newest(UPDATE_COMPLETED, null, Long.parseLong(accepted)));
    List<String> input = sent(json);
    String gate = ApprovalJson.encoded(json.request().gate());
    String[] outcome = {null};
    expandUntilShown(
        completed,
        "the input " + json.text() + " and an outcome naming gate " + json.request().gate(),
        details -> {
          int at = details.lastIndexOf(OUTCOME);
          if (at < 0 || !input.stream().allMatch(details::contains)) {
            return false;
          }
          outcome[0] = details.substring(at + OUTCOME.length());
          return outcome[0].contains(gate);
        },
        true);
    return "history shows event "
        + accepted
        + " "
        + UPDATE_ACCEPTED
        + " "
        + update
        + " with the input sent, and event "
        + completed
        + " "
        + UPDATE_COMPLETED
        + " with the outcome "
        + ApprovalJson.firstObject(outcome[0]).orElse(outcome[0].replaceAll("\\s+", " ").strip());
  }

  private void openTab() {
    waits.until("waiting for the Event History tab", d -> Visible.orNull(d, HISTORY_TAB)).click();
  }

  private static List<String> sent(ApprovalJson json) {
    return List.of(
        ApprovalJson.encoded(json.request().gate()),
        ApprovalJson.encoded(json.request().comment()),
        ApprovalJson.encoded(json.request().by()));
  }

  /**
   * Expands event EVENT_ID until its details satisfy SHOWN, then scrolls the row, or the details
   * (for an update: its Accepted and Completed events), to the middle of the page.
   */
  private void expandUntilShown(
      String eventId, String what, Predicate<String> shown, boolean centreDetails) {
    By row = By.cssSelector("tr[data-testid='event-summary-row'][data-eventid='" + eventId + "']");
    // The table refreshes itself while the run goes on: find the row anew on each poll, and click
    // "Expand details" only while it says it is collapsed, so a poll never folds it back.
    waits.until(
        "waiting for event " + eventId + " to show " + what,
        d -> {
          WebElement r = d.findElement(row);
          WebElement expand = r.findElement(By.cssSelector("button[aria-expanded]"));
          if ("false".equals(expand.getAttribute("aria-expanded"))) {
            // Rows near the bottom sit under the sticky page-size footer: bring the row up first.
            centre(r);
            expand.click();
            return null;
          }
          String text =
              String.valueOf(
                  driver.executeScript("return arguments[0].nextElementSibling.textContent", r));
          return shown.test(text) ? true : null;
        });
    WebElement r = driver.findElement(row);
    centre(
        centreDetails
            ? (WebElement) driver.executeScript("return arguments[0].nextElementSibling", r)
            : r);
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
   * The highest event ID among the rows of event type LABEL that also show LINE (a signal's or an
   * update's name; null: any), above AFTER, or null while there is none. One script reads the
   * rendered rows (innerText, what a person sees): asking WebDriver for each row's text costs a
   * round trip per row, seconds on a history of a hundred events.
   */
  private String newest(String label, String line, long after) {
    Object id =
        driver.executeScript(
            """
        let newest = null;
        for (const row of document.querySelectorAll(arguments[0])) {
          const lines = row.innerText.split(/[\\t\\n]/).map(l => l.trim());
          const id = Number(row.dataset.eventid);
          if (lines.includes(arguments[1]) && (arguments[2] === null || lines.includes(arguments[2]))
              && id > arguments[3]) {
            if (newest === null || id > newest) newest = id;
          }
        }
        return newest === null ? null : String(newest);""",
            "tr[data-testid='event-summary-row']",
            label,
            line,
            after);
    return (String) id;
  }
}
