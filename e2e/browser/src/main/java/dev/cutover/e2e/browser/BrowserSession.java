package dev.cutover.e2e.browser;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;

/**
 * One command's life with a browser: Chromium started headless, the command's steps run, a failed
 * step reported with error.png and error.html, the browser closed whatever happens (a SIGTERM from
 * the e2e script's timeout included).
 */
final class BrowserSession {
  /** The steps of one command, given the browser; returns the command's exit code. */
  interface Body {
    int run(HeadlessChromium browser, Steps steps, Evidence evidence);
  }

  private BrowserSession() {}

  static int run(UiOptions options, UiTarget target, PrintWriter out, PrintWriter err, Body body)
      throws IOException {
    Files.createDirectories(options.screenshots);
    Evidence evidence = new Evidence(options.screenshots);
    Steps steps = new Steps(out);
    HeadlessChromium browser = null;
    Thread onTerm = null;
    try {
      browser =
          steps.get(
              "start chromium",
              () ->
                  HeadlessChromium.start(
                      options.chromium,
                      options.driver,
                      target.host(),
                      options.timeout,
                      options.screenshots.resolve("chromedriver.log")));
      // A SIGTERM (a timeout in the e2e script) must not leave chromedriver and Chromium behind.
      onTerm = new Thread(browser::close, "close-chromium");
      Runtime.getRuntime().addShutdownHook(onTerm);
      out.println(
          "ui: chromium started headless ("
              + HeadlessChromium.WIDTH
              + "x"
              + HeadlessChromium.HEIGHT
              + ", may resolve "
              + target.host()
              + " only)");
      return body.run(browser, steps, evidence);
    } catch (StepFailure f) {
      out.flush();
      err.println("ui: FAILED at step '" + f.step() + "': " + f.getMessage());
      if (browser != null) {
        evidence.failure(browser.driver(), err);
      } else {
        err.println("ui: no error.png: there is no browser to take it");
      }
      return 1;
    } finally {
      if (onTerm != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(onTerm);
        } catch (IllegalStateException shuttingDown) {
          // the hook is closing the browser already
        }
      }
      if (browser != null) {
        browser.close();
      }
      out.flush();
      err.flush();
    }
  }
}
