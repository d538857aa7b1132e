package dev.cutover.plan.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cutover.plan.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the loader reads before YAML sees it: only regular files, at most 4 MiB, only UTF-8. */
class PlanFileTextTest {
  /** A guard against a hang, not a measure of speed: a refused file is refused at once or never. */
  private static final Duration HANG = Duration.ofSeconds(20);

  private static final String PLAN =
      """
      migration: shop-move
      description: Move the shop
      hosts:
        old:
          address: old.example.net
      phases:
        prepare:
          steps:
            - name: check-disk
              kind: run
              host: old
              command: df -h /srv
      """;

  @TempDir Path dir;

  @Test
  void aFifoIsRefusedWithoutOpeningIt() throws Exception {
    // given: a FIFO nobody writes to; opening it to read would block forever
    Path fifo = dir.resolve("plan.yaml");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();

    // when / then
    assertThat(problems(fifo))
        .containsExactly(
            fifo
                + ":1:1: (plan): is not a regular file (a FIFO, socket or device): cutover reads plans from regular files only");
  }

  @Test
  void aLinkToAFifoIsRefusedLikeTheFifo() throws Exception {
    // given
    Path fifo = dir.resolve("fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Path link = Files.createSymbolicLink(dir.resolve("plan.yaml"), fifo);

    // when / then
    assertThat(problems(link)).singleElement().asString().contains("is not a regular file");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/dev/zero", "/dev/urandom", "/dev/null"})
  void aDeviceIsRefusedBeforeAnyByteIsRead(String device) {
    // given: devices that never end (/dev/zero ran the CLI out of memory) or are always empty
    Path file = Path.of(device);
    assumeTrue(Files.exists(file), device + " exists on this machine");

    // when / then
    assertThat(problems(file))
        .containsExactly(
            device
                + ":1:1: (plan): is not a regular file (a FIFO, socket or device): cutover reads plans from regular files only");
  }

  @Test
  void aDirectoryIsRefusedByName() {
    assertThat(problems(dir))
        .containsExactly(dir + ":1:1: (plan): is a directory, not a plan file");
  }

  @Test
  void aLinkToAPlanIsAPlan() throws Exception {
    // given
    Path real = Files.writeString(dir.resolve("real.yaml"), PLAN);
    Path link = Files.createSymbolicLink(dir.resolve("plan.yaml"), real);

    // when
    Plan plan = PlanLoader.load(link);

    // then
    assertThat(plan.migration()).isEqualTo("shop-move");
  }

  @Test
  void aFileOverFourMebibytesIsRefusedWithItsSize() throws IOException {
    // given: a plan padded with a comment to one byte over the limit
    byte[] padding =
        ("#" + " ".repeat(PlanLimits.MAX_FILE_BYTES - PLAN.length() - 1) + "\n")
            .getBytes(StandardCharsets.UTF_8);
    Path file = dir.resolve("plan.yaml");
    Files.writeString(file, PLAN);
    Files.write(file, padding, java.nio.file.StandardOpenOption.APPEND);
    assertThat(Files.size(file)).isEqualTo(PlanLimits.MAX_FILE_BYTES + 1L);

    // when / then
    assertThat(problems(file))
        .containsExactly(
            file
                + ":1:1: (plan): the file is 4194305 bytes; a plan file may be at most 4194304 bytes (4 MiB)");
  }

  @Test
  void aFileOfExactlyFourMebibytesIsRead() throws Exception {
    // given
    Path file =
        Files.writeString(
            dir.resolve("plan.yaml"),
            PLAN + "#" + " ".repeat(PlanLimits.MAX_FILE_BYTES - PLAN.length() - 2) + "\n");
    assertThat(Files.size(file)).isEqualTo(PlanLimits.MAX_FILE_BYTES);

    // when: read only; parsing 4 MiB of comment adds nothing to what is tested here
    String text = PlanFileText.read(file);

    // then
    assertThat(text).hasSize(PlanLimits.MAX_FILE_BYTES).startsWith(PLAN);
  }

  @Test
  void aLatin1PlanNamesTheLineAndColumnOfTheFirstByteThatIsNotUtf8() throws Exception {
    // given: "Déménager" saved as ISO-8859-1 on line 2; before, the operator read "Input length =
    // 1"
    Path file = dir.resolve("plan.yaml");
    Files.write(
        file,
        PLAN.replace("Move the shop", "Déménager la boutique")
            .getBytes(StandardCharsets.ISO_8859_1));

    // when / then: column 15 is the é, counted in characters of the line
    assertThat(problems(file))
        .containsExactly(
            file
                + ":2:15: (plan): the file is not UTF-8: byte 0xe9 here cannot be read as UTF-8"
                + " (a file saved as Latin-1 or Windows-1252?); save the plan as UTF-8");
  }

  @Test
  void aBadByteAfterMultiByteCharactersIsPlacedByCharacterNotByByte() throws Exception {
    // given: valid UTF-8 "ééé" then a lone continuation byte, on line 3
    byte[] head = "migration: shop-move\n# \u00e9\u00e9\u00e9".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 3];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0x80;
    bytes[head.length + 1] = '\n';
    bytes[head.length + 2] = 'x';
    Path file = Files.write(dir.resolve("plan.yaml"), bytes);

    // when / then
    assertThat(problems(file))
        .singleElement()
        .asString()
        .startsWith(file + ":2:6: (plan): the file is not UTF-8: byte 0x80");
  }

  @Test
  void aUtf16PlanIsNamedAsSuch() throws Exception {
    // given: a plan saved as UTF-16 (with its byte order mark, as editors write it)
    Path file = Files.write(dir.resolve("plan.yaml"), PLAN.getBytes(StandardCharsets.UTF_16));

    // when / then
    assertThat(problems(file))
        .containsExactly(
            file
                + ":1:1: (plan): the file is UTF-16 (it starts with a UTF-16 byte order mark); save the plan as UTF-8");
  }

  @Test
  void aPlanWithAByteOrderMarkLoads() throws Exception {
    // given: Windows editors start UTF-8 files with a BOM
    Path file =
        Files.write(dir.resolve("plan.yaml"), ("\uFEFF" + PLAN).getBytes(StandardCharsets.UTF_8));

    // when / then
    assertThat(PlanLoader.load(file).migration()).isEqualTo("shop-move");
  }

  @Test
  void aPlanTooLargeForTheWorkflowInputIsRefusedWithItsSizeAndTheLimit() throws Exception {
    // given: a 1.6 MB command, well under the file limit but over what the workflow input may hold
    String command = "echo " + "x".repeat(1_600_000);
    Path file = Files.writeString(dir.resolve("plan.yaml"), PLAN.replace("df -h /srv", command));

    // when
    List<String> problems = problems(file);

    // then
    assertThat(problems)
        .singleElement()
        .asString()
        .matches(
            java.util.regex.Pattern.quote(file.toString())
                + ":1:1: \\(plan\\): the plan is too large for Temporal to hold: 16\\d{5} bytes as the workflow's input,"
                + " at most 1572864 \\(Temporal refuses payloads over 2097152 bytes, and a continued run carries the plan beside its state\\)");
  }

  @Test
  void thePlanJustUnderTheInputLimitLoads() throws Exception {
    // given: the same plan with a command sized to land just under the limit
    Path small = Files.writeString(dir.resolve("small.yaml"), PLAN);
    long overhead = InputSize.of(PlanLoader.load(small)) - "df -h /srv".length();
    String command = "x".repeat((int) (PlanLimits.MAX_INPUT_BYTES - overhead - 8));
    Path file = Files.writeString(dir.resolve("plan.yaml"), PLAN.replace("df -h /srv", command));

    // when
    Plan plan = PlanLoader.load(file);

    // then
    assertThat(InputSize.of(plan))
        .isBetween(PlanLimits.MAX_INPUT_BYTES - 64L, (long) PlanLimits.MAX_INPUT_BYTES);
  }

  private static List<String> problems(Path file) {
    ThrowingCallable load = () -> assertTimeoutPreemptively(HANG, () -> PlanLoader.load(file));
    List<String> formatted = new java.util.ArrayList<>();
    assertThatThrownBy(load)
        .isInstanceOf(InvalidPlanException.class)
        .extracting(e -> ((InvalidPlanException) e).problems(), list(PlanProblem.class))
        .allSatisfy(p -> formatted.add(p.format()));
    return formatted;
  }
}
