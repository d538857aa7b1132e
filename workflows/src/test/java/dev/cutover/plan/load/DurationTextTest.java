package dev.cutover.plan.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "30s,     PT30S",
    "90s,     PT1M30S",
    "15m,     PT15M",
    "2h,      PT2H",
    "1h30m,   PT1H30M",
    "2d,      PT48H",
    "1w,      PT168H",
    "1d12h,   PT36H",
    "500ms,   PT0.5S",
    "1m30s500ms, PT1M30.5S",
    "PT15M,   PT15M",
    "P2DT3H,  PT51H",
    // ISO-8601 is case-insensitive; operators copy it from tools that print it either way
    "pt15m,   PT15M",
    "' 15m ', PT15M"
  })
  void parsesWhatOperatorsWrite(String text, Duration expected) {
    // when
    Duration parsed = DurationText.parse(text);

    // then
    assertThat(parsed).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} is written {1}")
  @CsvSource({
    "PT30S,    30s",
    "PT15M,    15m",
    "PT2H,     2h",
    "PT1H30M,  1h30m",
    "PT48H,    2d",
    "PT51H4M5S, 2d3h4m5s",
    "PT90S,    1m30s",
    // weeks are read but not written: days are what status pages show next to each other
    "PT168H,   7d",
    "PT0S,     0s",
    "PT-15M,   -15m"
  })
  void formatsTheWayPlansAreWritten(Duration duration, String expected) {
    // when
    String text = DurationText.format(duration);

    // then
    assertThat(text).isEqualTo(expected);
  }

  @Test
  void formatsAMissingDurationAsADash() {
    // status tables show a dash for a step without a timeout rather than the word null
    assertThat(DurationText.format(null)).isEqualTo("-");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"30s", "15m", "1h30m", "2d", "2d3h4m5s", "1m30s"})
  void aFormattedDurationIsWrittenBackExactlyAsItWasRead(String text) {
    // given: status and preview print durations that operators paste back into plans
    Duration parsed = DurationText.parse(text);

    // when
    String formatted = DurationText.format(parsed);

    // then
    assertThat(formatted).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"30s", "15m", "1h30m", "2d", "1w", "PT15M", "P2DT3H4M5S"})
  void parsingWhatWasFormattedGivesTheSameDuration(String text) {
    // given
    Duration original = DurationText.parse(text);

    // when
    Duration again = DurationText.parse(DurationText.format(original));

    // then
    assertThat(again)
        .as("parse(format(%s)) with format %s", text, DurationText.format(original))
        .isEqualTo(original);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"500ms", "1s500ms", "1m30s250ms", "1h500ms"})
  void parsingWhatWasFormattedGivesTheSameDurationBelowASecond(String text) {
    // given
    Duration original = DurationText.parse(text);

    // when
    Duration again = DurationText.parse(DurationText.format(original));

    // then
    assertThat(again)
        .as("parse(format(%s)) with format %s", text, DurationText.format(original))
        .isEqualTo(original);
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(
      strings = {
        "",
        "   ",
        "30",
        "5 minutes",
        "5min",
        "1h 30m",
        "-3m",
        "+3m",
        "1.5h",
        "15M",
        "1H",
        "m",
        "1y",
        "0x10s",
        "P",
        "PT",
        "Pizza",
        "PT15"
      })
  void refusesWhatIsNotADuration(String text) {
    // when
    Duration parsed = DurationText.parse(text);

    // then: null, so the loader can name the field and show the accepted forms
    assertThat(parsed).isNull();
  }

  @Test
  void leavesZeroAndNegativeToTheValidator() {
    // The parser reads the value; whether a field may be zero is the validator's call, made per
    // field.
    assertThat(DurationText.parse("0s")).isZero();
    assertThat(DurationText.parse("PT-3M")).isEqualTo(Duration.ofMinutes(-3));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "99999999999999999999s",
        "999999999999999d",
        "106751991167300d106751991167300d",
        "7905747460161236407w"
      })
  void refusesADurationTooLongToHold(String text) {
    // when
    Duration parsed = DurationText.parse(text);

    // then
    assertThat(parsed).isNull();
  }
}
