package dev.cutover.e2e.browser;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium and chromedriver, headless, at fixed paths: with both paths given, Selenium
 * Manager has nothing to look up, so nothing is downloaded (the machines reach package registries
 * only). The browser may resolve the UI's host and nothing else, so it talks to the UI only: UI
 * 2.54 fetches a news feed from the internet on every page.
 */
final class HeadlessChromium implements AutoCloseable {
  /** The viewport of every screenshot: wide enough for the workflow page's three columns. */
  static final int WIDTH = 1600;

  static final int HEIGHT = 1200;

  /**
   * Selenium looks for a CDP binding of the browser's version and warns when it has none; only
   * chromedriver's own CDP pass-through (executeCdpCommand) is used here, which needs no binding.
   * Held in a field: java.util.logging forgets the level of a logger nobody references.
   */
  private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private final ChromeDriver driver;

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /**
   * @param uiHost the only host name the browser may resolve
   * @param driverLog where chromedriver writes its log, for when a step fails
   */
  static HeadlessChromium start(
      Path chromium, Path chromedriver, String uiHost, Duration pageLoad, Path driverLog) {
    requireExecutable(chromium, "chromium", "apt-get install -y chromium");
    requireExecutable(chromedriver, "chromedriver", "apt-get install -y chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments(
        "--headless=new",
        // Root in a container: Chromium's sandbox needs user namespaces it may not have.
        "--no-sandbox",
        // A container's /dev/shm is often 64 MB, too small for a renderer.
        "--disable-dev-shm-usage",
        "--window-size=" + WIDTH + "," + HEIGHT,
        "--force-device-scale-factor=1",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE " + uiHost,
        // No update checks, sync or first-run pages: traffic of its own that an e2e must not make.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--no-first-run");
    options.setPageLoadTimeout(pageLoad);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.toFile())
            .usingAnyFreePort()
            .withLogFile(driverLog.toFile())
            .build();
    DEVTOOLS_LOG.setLevel(Level.SEVERE);
    ChromeDriver driver = new ChromeDriver(service, options);
    try {
      // --window-size counts the (invisible) window frame; this makes the page itself 1600x1200.
      driver.executeCdpCommand(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", WIDTH, "height", HEIGHT, "deviceScaleFactor", 1, "mobile", false));
    } catch (RuntimeException e) {
      driver.quit();
      throw e;
    }
    return new HeadlessChromium(driver);
  }

  private static void requireExecutable(Path path, String what, String install) {
    File f = path.toFile();
    if (!f.isFile() || !Files.isExecutable(path)) {
      throw new IllegalStateException(
          what + " not found at " + path + " (Debian: " + install + ")");
    }
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Ends the browser and the driver; a driver that is already gone is no error at this point. */
  @Override
  public void close() {
    try {
      driver.quit();
    } catch (RuntimeException e) {
      System.err.println("ui: closing chromium: " + e.getMessage());
    }
  }
}
