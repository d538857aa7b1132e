package dev.cutover.e2e.browser;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Screenshots of each step, and of the page where a step failed: what a reviewer of the e2e looks
 * at.
 */
final class Evidence {
  private final Path dir;

  Evidence(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Saves the viewport as DIR/NAME. */
  Path screenshot(ChromeDriver driver, String name) {
    Path file = dir.resolve(name);
    write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  /**
   * error.png and error.html: what the page showed when a step gave up. Best effort: a browser that
   * died takes neither, and that must not hide the step's own failure.
   */
  void failure(ChromeDriver driver, PrintWriter err) {
    try {
      write(dir.resolve("error.png"), driver.getScreenshotAs(OutputType.BYTES));
      err.println("ui: screenshot " + dir.resolve("error.png"));
    } catch (RuntimeException e) {
      err.println("ui: no error.png: " + Steps.firstLine(e.getMessage()));
    }
    try {
      write(dir.resolve("error.html"), driver.getPageSource().getBytes(StandardCharsets.UTF_8));
      err.println(
          "ui: page source " + dir.resolve("error.html") + " (at " + driver.getCurrentUrl() + ")");
    } catch (RuntimeException e) {
      err.println("ui: no error.html: " + Steps.firstLine(e.getMessage()));
    }
    err.flush();
  }

  private static void write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
