package dev.cutover.e2e.browser;

import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The workflow's page in Temporal UI 2.54, found by the data-testid attributes the UI's own tests
 * use: they outlive layout and wording changes better than CSS classes or positions.
 */
final class WorkflowPage {
  private static final By HEADING = By.cssSelector("[data-testid='workflow-id-heading']");

  /** UI 2.54's error page (404 for a workflow it cannot find). */
  private static final By ERROR_PAGE = By.cssSelector("section[aria-roledescription='error']");

  private static final By STATUS = By.cssSelector("[data-testid='execution-status']");
  private static final By METADATA_TAB = By.cssSelector("[data-testid='user-metadata-tab']");
  private static final By CURRENT_DETAILS = By.cssSelector("iframe#user-metadata-current-details");

  /**
   * "More Actions", beside "Request Cancellation": the menu that holds Send a Signal and Send an
   * Update.
   */
  private static final By ACTIONS_MENU = By.cssSelector("button[aria-controls='workflow-actions']");

  private static final By SEND_A_SIGNAL = By.cssSelector("[data-testid='signal-button']");
  private static final By SIGNAL_DIALOG =
      By.cssSelector("dialog[data-testid='signal-confirmation-modal'][open]");
  private static final By SEND_AN_UPDATE = By.cssSelector("[data-testid='update-button']");
  private static final By UPDATE_DIALOG =
      By.cssSelector("dialog[data-testid='update-confirmation-modal'][open]");

  /**
   * A workflow without current details shows none; waiting the full timeout for them would only
   * slow the e2e.
   */
  private static final Duration DETAILS_GRACE = Duration.ofSeconds(10);

  private final ChromeDriver driver;
  private final Waits waits;
  private final UiTarget target;

  WorkflowPage(ChromeDriver driver, Waits waits, UiTarget target) {
    this.driver = driver;
    this.waits = waits;
    this.target = target;
  }

  /**
   * Opens the page and waits until it shows this workflow and its status; only a running one takes
   * a signal.
   */
  String open() {
    driver.get(target.workflowPage().toString());
    String id = target.workflowId();
    waits.until(
        "waiting for the page heading to show workflow " + id,
        d -> {
          Visible.first(d, ERROR_PAGE)
              .ifPresent(
                  e -> {
                    // A workflow the server does not know: no point in waiting for its page.
                    throw new IllegalStateException(
                        "the UI shows an error page instead of workflow "
                            + id
                            + " in namespace "
                            + target.namespace()
                            + ": "
                            + e.getText().replaceAll("\\s+", " ").strip());
                  });
          return Visible.first(d, HEADING)
              .filter(h -> Visible.textContent(h).contains(id))
              .orElse(null);
        });
    String status =
        waits.until(
            "waiting for the workflow's status badge",
            d ->
                Visible.first(d, STATUS)
                    .map(Visible::textContent)
                    .filter(s -> !s.isEmpty())
                    .orElse(null));
    if (!status.equals("Running")) {
      throw new IllegalStateException(
          "workflow " + id + " is " + status + ", not Running: there is no gate to approve");
    }
    return "opened " + driver.getCurrentUrl() + " (" + status + ")";
  }

  /**
   * Switches to the User Metadata tab, where the UI renders what the workflow set with
   * Workflow.setCurrentDetails (cutover: which gate waits and how to approve it), and returns its
   * first line once rendered. The rendering is Markdown in an iframe that loads after the tab.
   */
  Optional<String> currentDetails() {
    waits.until("waiting for the User Metadata tab", d -> Visible.orNull(d, METADATA_TAB)).click();
    WebElement frame;
    try {
      frame =
          waits.until(
              "waiting for the current details",
              DETAILS_GRACE,
              d -> Visible.orNull(d, CURRENT_DETAILS));
    } catch (org.openqa.selenium.TimeoutException none) {
      return Optional.empty();
    }
    driver.switchTo().frame(frame);
    try {
      String text =
          waits.until(
              "waiting for the current details to render",
              d -> {
                String t = d.findElement(By.tagName("body")).getText().strip();
                return t.isEmpty() ? null : t;
              });
      return Optional.of(text.lines().findFirst().orElse(text));
    } finally {
      driver.switchTo().defaultContent();
    }
  }

  /** More Actions, then Send a Signal; returns the dialog once it is open. */
  SignalDialog openSignalDialog() {
    return new SignalDialog(
        driver, waits, openDialog(SEND_A_SIGNAL, "Send a Signal", SIGNAL_DIALOG));
  }

  /**
   * More Actions, then Send an Update; returns the dialog once it is open. The UI disables the item
   * while the workflow is paused, or when the server or the UI turns updates off.
   */
  UpdateDialog openUpdateDialog() {
    return new UpdateDialog(
        driver, waits, openDialog(SEND_AN_UPDATE, "Send an Update", UPDATE_DIALOG));
  }

  private WebElement openDialog(By menuItem, String label, By dialogLocator) {
    waits
        .until(
            "waiting for the workflow's More Actions button", d -> Visible.orNull(d, ACTIONS_MENU))
        .click();
    WebElement item =
        waits.until(
            "waiting for '" + label + "' in the More Actions menu",
            d -> Visible.orNull(d, menuItem));
    if ("true".equals(item.getAttribute("aria-disabled"))) {
      throw new IllegalStateException(
          "'"
              + label
              + "' is disabled in the More Actions menu: "
              + Visible.textContent(item).replaceAll("\\s+", " "));
    }
    item.click();
    WebElement dialog =
        waits.until(
            "waiting for the " + label + " dialog to open", d -> Visible.orNull(d, dialogLocator));
    waits.untilStill("the " + label + " dialog", dialog);
    return dialog;
  }

  EventHistory eventHistory() {
    return new EventHistory(driver, waits);
  }
}
