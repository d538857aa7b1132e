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

  /**
   * Sends the update through the UI's Send an Update dialog and reads its outcome. Refused: the
   * dialog's alert is the last screenshot. Accepted: the history's Update Accepted and Completed
   * events are found and shown too. Screenshots are named PREFIX-N-what.png, so a refusal and an
   * acceptance of one run can sit side by side.
   */
  UpdateAnswer approveByUpdate(UiTarget target, String update, ApprovalJson json, String prefix) {
    WorkflowPage page = new WorkflowPage(driver, waits, target);
    steps.run("open the workflow page", page::open);
    steps.run(
        "show the current details",
        () ->
            page.currentDetails()
                .map(d -> "current details: " + d)
                .orElse("the workflow shows no current details"));
    screenshot(prefix + "-1-gate-open.png");

    UpdateDialog dialog = steps.get("open the Send an Update dialog", page::openUpdateDialog);
    steps.run("choose the update name", () -> dialog.chooseUpdate(update));
    steps.run("enter the input", () -> dialog.enterInput(json));
    screenshot(prefix + "-2-update-form.png");

    UpdateAnswer[] answer = {null};
    steps.run(
        "submit the update",
        () -> {
          answer[0] = dialog.submit();
          return answer[0].accepted()
              ? "update " + update + " accepted (the UI said: " + answer[0].message() + ")"
              : "update " + update + " refused; the UI shows: " + answer[0].message();
        });
    screenshot(prefix + "-3-" + answer[0].outcome() + ".png");
    if (answer[0].accepted()) {
      steps.run(
          "find the update in the event history",
          () -> page.eventHistory().showUpdateCompleted(update, json));
      screenshot(prefix + "-4-history.png");
    }
    return answer[0];
  }

  private void screenshot(String name) {
    steps.run("save " + name, () -> "screenshot " + evidence.screenshot(driver, name));
  }
}
