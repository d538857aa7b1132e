package dev.cutover.e2e.browser;

import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What a person does to approve a gate in the web UI, as named steps with a screenshot at each
 * point a reviewer wants to see: the gate waiting, the filled-in signal form, the signal received.
 */
final class UiApproval {
  private final ChromeDriver driver;
  private final Waits waits;
  private final Steps steps;
  private final Evidence evidence;

  UiApproval(ChromeDriver driver, Duration timeout, Steps steps, Evidence evidence) {
    this.driver = driver;
    this.waits = new Waits(driver, timeout);
    this.steps = steps;
    this.evidence = evidence;
  }

  /**
   * Sends the signal through the UI; returns the time from opening the page to the signal in the
   * history.
   */
  Duration approve(UiTarget target, String signal, ApprovalJson json) {
    long start = System.nanoTime();
    WorkflowPage page = new WorkflowPage(driver, waits, target);
    steps.run("open the workflow page", page::open);
    steps.run(
        "show the current details",
        () ->
            page.currentDetails()
                .map(d -> "current details: " + d)
                .orElse("the workflow shows no current details"));
    screenshot("01-gate-open.png");

    SignalDialog dialog = steps.get("open the Send a Signal dialog", page::openSignalDialog);
    steps.run("choose the signal name", () -> dialog.chooseSignal(signal));
    steps.run("enter the input", () -> dialog.enterInput(json));
    screenshot("02-signal-form.png");

    steps.run("submit the signal", () -> dialog.submit(signal));
    steps.run(
        "find the signal in the event history",
        () -> page.eventHistory().showSignaled(signal, json));
    screenshot("03-signal-sent.png");
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private void screenshot(String name) {
    steps.run("save " + name, () -> "screenshot " + evidence.screenshot(driver, name));
  }
}
