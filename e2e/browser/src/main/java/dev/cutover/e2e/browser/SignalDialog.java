package dev.cutover.e2e.browser;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * UI 2.54's "Send a Signal" dialog: a "Signal name" select that lists the signals the workflow
 * declares (the UI asks the worker with the __temporal_workflow_metadata query) plus "Custom", a
 * CodeMirror JSON editor labelled "Data", the json/plain encoding, and Submit.
 */
final class SignalDialog {
  private static final By NAME_SELECT = By.cssSelector("[data-testid='signal-select-button']");
  private static final By NAME_SELECTED = By.cssSelector("input[data-testid='signal-select']");
  private static final By OPTION = By.cssSelector("[role='option']");
  private static final By CUSTOM_NAME = By.cssSelector("input[data-testid='signal-name']");
  private static final By DATA = By.cssSelector("[role='textbox'][aria-label='Data']");
  private static final By SUBMIT = By.cssSelector("[data-testid='confirm-modal-button']");
  private static final By DIALOG_ERROR = By.cssSelector("p[role='alert']");
  private static final By TOAST = By.cssSelector("[data-testid='toast-live-region-polite']");
  private static final By TOAST_ALERT =
      By.cssSelector("[data-testid='toast-live-region-assertive']");
  private static final String CUSTOM = "Custom";

  /**
   * The signal list fills in when the metadata query answers; a workflow whose worker is gone never
   * lists any.
   */
  private static final Duration DECLARED_GRACE = Duration.ofSeconds(10);

  /**
   * Toasts fade after a few seconds; the event history is the lasting proof, so do not wait long
   * for one.
   */
  private static final Duration TOAST_GRACE = Duration.ofSeconds(15);

  private final ChromeDriver driver;
  private final Waits waits;
  private final WebElement dialog;

  SignalDialog(ChromeDriver driver, Waits waits, WebElement dialog) {
    this.driver = driver;
    this.waits = waits;
    this.dialog = dialog;
  }

  /**
   * Picks the signal from the workflow's declared ones, or types it as a Custom name when the
   * workflow declares none (or the worker did not answer): either way the UI sends that name.
   */
  String chooseSignal(String name) {
    waits
        .until("waiting for the Signal name select", d -> Visible.orNull(dialog, NAME_SELECT))
        .click();
    waits.until("waiting for the Signal name options", d -> Visible.orNull(dialog, OPTION));
    Optional<WebElement> declared;
    try {
      declared =
          Optional.of(
              waits.until(
                  "waiting for '" + name + "' among the declared signals",
                  DECLARED_GRACE,
                  d -> option(name).orElse(null)));
    } catch (org.openqa.selenium.TimeoutException notDeclared) {
      declared = Optional.empty();
    }
    if (declared.isPresent()) {
      declared.get().click();
      waits.until(
          "waiting for the select to show '" + name + "'",
          d -> name.equals(dialog.findElement(NAME_SELECTED).getAttribute("value")) ? true : null);
      return "signal " + name + " chosen from the workflow's declared signals";
    }
    option(CUSTOM)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "neither '" + name + "' nor 'Custom' among the Signal name options"))
        .click();
    WebElement input =
        waits.until(
            "waiting for the custom Signal name field", d -> Visible.orNull(dialog, CUSTOM_NAME));
    input.sendKeys(name);
    waits.until(
        "waiting for the custom Signal name field to hold '" + name + "'",
        d -> name.equals(input.getAttribute("value")) ? true : null);
    return "signal " + name + " typed as a Custom name (the workflow lists no such signal)";
  }

  /** An option's first line is the signal's name; the description follows on the next lines. */
  private Optional<WebElement> option(String name) {
    for (WebElement o : dialog.findElements(OPTION)) {
      if (o.isDisplayed()
          && o.getText().strip().lines().findFirst().orElse("").strip().equals(name)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /**
   * Puts the JSON into the Data editor as one text insertion (what a paste does). Typed key by key,
   * CodeMirror's bracket closing would pair each quote as it comes and turn {@code \"} into a
   * broken string. Then leaves the editor, as a person does before Submit: the UI re-indents the
   * JSON on blur.
   */
  String enterInput(ApprovalJson json) {
    WebElement editor =
        waits.until("waiting for the Data editor", d -> Visible.orNull(dialog, DATA));
    editor.click();
    editor.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    driver.executeCdpCommand("Input.insertText", Map.of("text", json.text()));
    editor.sendKeys(Keys.TAB);
    waits.until(
        "waiting for the focus to leave the Data editor",
        d ->
            Boolean.TRUE.equals(
                    driver.executeScript(
                        "return !arguments[0].contains(document.activeElement)", editor))
                ? true
                : null);
    waits.until(
        "waiting for the Data editor to hold " + json.text(),
        d -> json.sameAs(editor.getText()) ? true : null);
    return "input " + json.text() + " entered (json/plain)";
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
