package dev.cutover.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import io.temporal.api.history.v1.History;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a person sees it: Debian's headless {@code chromium} opens the file offline
 * and takes a screenshot, and the chart's rows hold the bar colors (succeeded, failed, undo,
 * phases) and the shaded downtime window.
 */
@RealTools
class HtmlReportScreenshotTest {
  /** Matches GanttSvg's row height and bar height. */
  private static final int ROW = 18;

  @TempDir Path dir;

  @Test
  void chromiumShowsTheGanttChartWithBarsAndTheDowntimeWindow() throws Exception {
    // given the HTML report of a run with failures, undo and a downtime window, written to a file
    List<History> runs =
        HistoryFiles.read(
            List.of(Golden.RESOURCES.resolve("histories/failures-rejected-abort.json")));
    MigrationReport report = ReportBuilder.build("cutover-shop-move", runs, null);
    Path html = dir.resolve("report.html");
    Files.writeString(html, ReportFormat.HTML.render(report));

    // when headless Chromium renders it, with no network to reach
    Path png = dir.resolve("report.png");
    screenshot(html, png);

    // then the chart's rows show every kind of bar and the downtime shading
    BufferedImage image = ImageIO.read(png.toFile());
    int top = firstRowOf(image, GanttSvg.PHASE);
    assertThat(top).as("a phase bar of the chart in the screenshot").isPositive();
    int rows =
        report.phases().size()
            + (int) report.steps().stream().filter(s -> !s.executions().isEmpty()).count();
    int bottom = Math.min(image.getHeight(), top + rows * ROW - 4);
    assertThat(count(image, top, bottom, GanttSvg.SUCCEEDED))
        .as("succeeded bars")
        .isGreaterThan(20);
    assertThat(count(image, top, bottom, GanttSvg.FAILED)).as("failed bars").isGreaterThan(20);
    assertThat(count(image, top, bottom, GanttSvg.UNDO)).as("undo bars").isGreaterThan(20);
    assertThat(count(image, top, bottom, GanttSvg.PHASE)).as("phase bars").isGreaterThan(100);
    // the downtime shading is #ffb74d at 55% over white
    assertThat(count(image, top, bottom, "#ffd79d")).as("shaded downtime window").isGreaterThan(50);
  }

  private void screenshot(Path html, Path png) throws Exception {
    Path chromiumBinary = RequiredTool.onPath("chromium", "apt-get install chromium");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromiumBinary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--force-device-scale-factor=1",
                "--hide-scrollbars",
                "--user-data-dir=" + dir.resolve("profile"),
                "--screenshot=" + png,
                "--window-size=1200,900",
                html.toUri().toString()));
    Process chromium =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("chromium.log").toFile())
            .start();
    boolean done = chromium.waitFor(120, TimeUnit.SECONDS);
    if (!done) {
      chromium.destroyForcibly();
    }
    assertThat(done).as("chromium finished").isTrue();
    assertThat(png)
        .as("screenshot; chromium said:%n%s", Files.readString(dir.resolve("chromium.log")))
        .exists();
  }

  /**
   * The first pixel row holding a run of the color wider than a legend square: the chart's first
   * bar.
   */
  private static int firstRowOf(BufferedImage image, String color) {
    for (int y = 0; y < image.getHeight(); y++) {
      int run = 0;
      for (int x = 0; x < image.getWidth(); x++) {
        run = near(image.getRGB(x, y), color) ? run + 1 : 0;
        if (run > 20) {
          return y;
        }
      }
    }
    return -1;
  }

  private static int count(BufferedImage image, int top, int bottom, String color) {
    int n = 0;
    for (int y = top; y < bottom; y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (near(image.getRGB(x, y), color)) {
          n++;
        }
      }
    }
    return n;
  }

  private static boolean near(int rgb, String color) {
    int c = Integer.parseInt(color.substring(1), 16);
    return Math.abs(((rgb >> 16) & 0xff) - ((c >> 16) & 0xff)) <= 8
        && Math.abs(((rgb >> 8) & 0xff) - ((c >> 8) & 0xff)) <= 8
        && Math.abs((rgb & 0xff) - (c & 0xff)) <= 8;
  }
}
