package dev.cutover.e2e.browser;

import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * UI 2.54's "Send a Signal" dialog: a "Signal name" select that lists the signals the workflow
 * declares (the UI asks the worker with the __temporal_workflow_metadata query) plus "Custom", a
 * CodeMirror JSON editor labelled "Data", the json/plain encoding, and Submit.
 */
final class SignalDialog {
  private static final By SUBMIT = By.cssSelector("[data-testid='confirm-modal-button']");
  private static final By DIALOG_ERROR = By.cssSelector("p[role='alert']");
  private static final By TOAST = By.cssSelector("[data-testid='toast-live-region-polite']");
  private static final By TOAST_ALERT =
      By.cssSelector("[data-testid='toast-live-region-assertive']");

  /**
   * Toasts fade after a few seconds; the event history is the lasting proof, so do not wait long
   * for one.
   */
  private static final Duration TOAST_GRACE = Duration.ofSeconds(15);

  private final ChromeDriver driver;
  private final Waits waits;
  private final WebElement dialog;
  private final JsonForm form;

  SignalDialog(ChromeDriver driver, Waits waits, WebElement dialog) {
    this.driver = driver;
    this.waits = waits;
    this.dialog = dialog;
    this.form = new JsonForm(driver, waits, dialog, "signal");
  }

  /** Picks the signal by name, from the declared ones or as a Custom name. */
  String chooseSignal(String name) {
    return form.chooseName(name);
  }

  /** Puts the JSON into the Data editor; see {@link JsonForm#enterInput}. */
  String enterInput(ApprovalJson json) {
    return form.enterInput(json);
  }

  /**
   * Submits and waits for the UI's answer: its "Workflow signaled." toast, or the error it shows in
   * the dialog or as an alert. No toast is not yet a failure: the event history decides.
   */
  String submit(String name) {
    WebElement submit =
        waits.until(
            "waiting for Submit to be enabled",
            d -> Visible.first(dialog, SUBMIT).filter(WebElement::isEnabled).orElse(null));
    waits.untilStill("the Submit button", submit);
    submit.click();
    String answer;
    try {
      answer =
          waits.until(
              "waiting for the UI to confirm the signal",
              TOAST_GRACE,
              d -> {
                String refused = refusal();
                if (!refused.isEmpty()) {
                  throw new IllegalStateException("the UI did not send the signal: " + refused);
                }
                String toast = Visible.textContent(d.findElement(TOAST));
                return toast.toLowerCase().contains("signaled") ? toast : null;
              });
    } catch (org.openqa.selenium.TimeoutException noToast) {
      return "signal " + name + " submitted; no toast seen, the event history will tell";
    }
    return "signal " + name + " sent (the UI said: " + answer + ")";
  }

  /** What the dialog or an alert toast says went wrong, or "". */
  private String refusal() {
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
