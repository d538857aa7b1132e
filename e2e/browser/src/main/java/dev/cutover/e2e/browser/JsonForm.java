package dev.cutover.e2e.browser;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What UI 2.54's "Send a Signal" and "Send an Update" dialogs share: a name select listing what the
 * workflow declares (the UI reads it from the __temporal_workflow_metadata query) plus "Custom",
 * which turns it into a text field, and a CodeMirror JSON editor labelled "Data". The two differ
 * only in their data-testid prefix ({@code signal}, {@code update}).
 */
final class JsonForm {
  private static final By OPTION = By.cssSelector("[role='option']");
  private static final By DATA = By.cssSelector("[role='textbox'][aria-label='Data']");
  private static final String CUSTOM = "Custom";

  /**
   * The list fills in when the metadata query answers; a workflow whose worker is gone never lists
   * any.
   */
  private static final Duration DECLARED_GRACE = Duration.ofSeconds(10);

  private final ChromeDriver driver;
  private final Waits waits;
  private final WebElement dialog;
  private final String kind;
  private final By select;
  private final By selected;
  private final By customName;

  /**
   * @param kind {@code signal} or {@code update}: the dialog's data-testid prefix and what the
   *     lines printed call it
   */
  JsonForm(ChromeDriver driver, Waits waits, WebElement dialog, String kind) {
    this.driver = driver;
    this.waits = waits;
    this.dialog = dialog;
    this.kind = kind;
    this.select = By.cssSelector("[data-testid='" + kind + "-select-button']");
    this.selected = By.cssSelector("input[data-testid='" + kind + "-select']");
    this.customName = By.cssSelector("input[data-testid='" + kind + "-name']");
  }

  /**
   * Picks the name from the workflow's declared ones, or types it as a Custom name when the
   * workflow declares none (or the worker did not answer): either way the UI sends that name. The
   * update dialog shows the text field alone when the workflow declares no update.
   */
  String chooseName(String name) {
    // The dialog shows the select when the workflow declares names, else the field alone.
    waits.until(
        "waiting for the " + kind + " name select or field",
        d ->
            Visible.first(dialog, select).or(() -> Visible.first(dialog, customName)).orElse(null));
    WebElement list;
    try {
      // The field alone: the workflow's declared names have not arrived yet, or there are none.
      list =
          Visible.first(dialog, select)
              .orElseGet(
                  () ->
                      waits.until(
                          "waiting for the " + kind + " name select",
                          DECLARED_GRACE,
                          d -> Visible.orNull(dialog, select)));
    } catch (org.openqa.selenium.TimeoutException noList) {
      return typeCustom(name, "the workflow declares no " + kind + "s");
    }
    list.click();
    waits.until("waiting for the " + kind + " name options", d -> Visible.orNull(dialog, OPTION));
    Optional<WebElement> declared;
    try {
      declared =
          Optional.of(
              waits.until(
                  "waiting for '" + name + "' among the declared " + kind + "s",
                  DECLARED_GRACE,
                  d -> option(name).orElse(null)));
    } catch (org.openqa.selenium.TimeoutException notDeclared) {
      declared = Optional.empty();
    }
    if (declared.isPresent()) {
      declared.get().click();
      waits.until(
          "waiting for the select to show '" + name + "'",
          d -> name.equals(dialog.findElement(selected).getAttribute("value")) ? true : null);
      return kind + " " + name + " chosen from the workflow's declared " + kind + "s";
    }
    option(CUSTOM)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "neither '" + name + "' nor 'Custom' among the " + kind + " name options"))
        .click();
    return typeCustom(name, "the workflow lists no such " + kind);
  }

  private String typeCustom(String name, String why) {
    WebElement input =
        waits.until(
            "waiting for the custom " + kind + " name field",
            d -> Visible.orNull(dialog, customName));
    input.sendKeys(name);
    waits.until(
        "waiting for the custom " + kind + " name field to hold '" + name + "'",
        d -> name.equals(input.getAttribute("value")) ? true : null);
    return kind + " " + name + " typed as a Custom name (" + why + ")";
  }

  /** An option's first line is the name; the description follows on the next lines. */
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
    // The name's option list fades out after the pick; a click meanwhile lands on it: retry.
    waits.until(
        "waiting for the Data editor to take a click (the name list may still cover it)",
        d -> {
          try {
            editor.click();
            return true;
          } catch (ElementClickInterceptedException covered) {
            return null;
          }
        });
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
}
