package dev.cutover.e2e.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * UI 2.54's "Send an Update" dialog: the same name select and Data editor as Send a Signal (see
 * {@link JsonForm}), an optional Update ID left empty (the UI then makes one), and Submit. The UI
 * waits for the update's outcome: on success it closes the dialog and toasts "Update successful"
 * (it shows no result: the history's Update Completed event has it); on a failure, a refusal by the
 * workflow's validator included, it keeps the dialog open with a red alert whose title is the
 * failure's message.
 */
final class UpdateDialog {
  private static final By SUBMIT = By.cssSelector("[data-testid='confirm-modal-button']");

  /** The outcome's failure: the Alert component, intent error, its title in the first p. */
  private static final By FAILURE = By.cssSelector("div.alert[role='alert']");

  private static final By FAILURE_TITLE = By.cssSelector("p.font-medium");

  /** The request itself failed (no answer, bad input): the modal's own error line. */
  private static final By DIALOG_ERROR = By.cssSelector("p[role='alert']");

  private static final By TOAST = By.cssSelector("[data-testid='toast-live-region-polite']");
  private static final By TOAST_ALERT =
      By.cssSelector("[data-testid='toast-live-region-assertive']");

  private final ChromeDriver driver;
  private final Waits waits;
  private final WebElement dialog;
  private final JsonForm form;

  UpdateDialog(ChromeDriver driver, Waits waits, WebElement dialog) {
    this.driver = driver;
    this.waits = waits;
    this.dialog = dialog;
    this.form = new JsonForm(driver, waits, dialog, "update");
  }

  String chooseUpdate(String name) {
    return form.chooseName(name);
  }

  String enterInput(ApprovalJson json) {
    return form.enterInput(json);
  }

  /**
   * Submits and waits for the workflow's answer as the UI shows it. A request that fails on the way
   * (the modal's error line, an alert toast) is a failed step, not a refusal: the workflow never
   * judged it.
   */
  UpdateAnswer submit() {
    WebElement submit =
        waits.until(
            "waiting for Submit to be enabled",
            d -> Visible.first(dialog, SUBMIT).filter(WebElement::isEnabled).orElse(null));
    waits.untilStill("the Submit button", submit);
    submit.click();
    return waits.until(
        "waiting for the UI to show the update's outcome (an alert in the dialog, or the dialog"
            + " closed with 'Update successful')",
        d -> {
          // The toast first: on success the dialog closes, and what it held may be gone.
          String toast = Visible.textContent(d.findElement(TOAST));
          if (toast.toLowerCase().contains("update successful")) {
            return UpdateAnswer.accepted(toast);
          }
          String failed = requestError();
          if (!failed.isEmpty()) {
            throw new IllegalStateException("the UI could not send the update: " + failed);
          }
          for (WebElement alert : dialog.findElements(FAILURE)) {
            if (alert.isDisplayed()) {
              String title =
                  alert.findElements(FAILURE_TITLE).stream()
                      .map(Visible::textContent)
                      .filter(t -> !t.isEmpty())
                      .findFirst()
                      .orElse(Visible.textContent(alert));
              return UpdateAnswer.refused(title);
            }
          }
          return null;
        });
  }

  /** The modal's error line or an alert toast, or "". */
  private String requestError() {
    String inDialog =
        dialog.findElements(DIALOG_ERROR).stream()
            .map(Visible::textContent)
            .filter(t -> !t.isEmpty())
            .findFirst()
            .orElse("");
    if (!inDialog.isEmpty()) {
      return inDialog;
    }
    return driver.findElements(TOAST_ALERT).stream()
        .map(Visible::textContent)
        .filter(t -> !t.isEmpty())
        .findFirst()
        .orElse("");
  }
}
