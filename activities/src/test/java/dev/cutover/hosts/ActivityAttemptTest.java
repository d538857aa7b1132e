package dev.cutover.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The key that names an activity on a host: the same for all its attempts, different for every
 * other activity.
 */
class ActivityAttemptTest {
  @Test
  void everyAttemptOfAnActivityHasTheSameKeyAndOtherActivitiesOtherKeys() {
    // given attempts of one activity, and activities that differ in one id each
    ActivityAttempt first = ActivityAttempt.of("migrate-shop", "run-1", "12", 1);
    ActivityAttempt third = ActivityAttempt.of("migrate-shop", "run-1", "12", 3);

    // then the attempts share the key, and no other workflow, run or activity has it
    assertThat(third.key()).isEqualTo(first.key());
    assertThat(third.attempt()).isEqualTo(3);
    assertThat(ActivityAttempt.of("migrate-shop", "run-1", "13", 1).key())
        .isNotEqualTo(first.key());
    assertThat(ActivityAttempt.of("migrate-shop", "run-2", "12", 1).key())
        .isNotEqualTo(first.key());
    assertThat(ActivityAttempt.of("migrate-blog", "run-1", "12", 1).key())
        .isNotEqualTo(first.key());
    // the separator keeps ids from running into each other
    assertThat(ActivityAttempt.of("a", "bc", "1", 1).key())
        .isNotEqualTo(ActivityAttempt.of("ab", "c", "1", 1).key());
  }

  @Test
  void theKeyIsAShortHexHashThatHoldsNoId() {
    // given an activity whose ids say something about the migration
    ActivityAttempt attempt = ActivityAttempt.of("migrate-shop", "5f0c-run", "sync-uploads", 1);

    // then the file name on the host says nothing, and is a safe shell word
    assertThat(attempt.key()).matches("[0-9a-f]{32}").doesNotContain("shop");
    assertThat(Sh.quote(attempt.key())).isEqualTo(attempt.key());
  }

  @Test
  void onlyAHexKeyAndANonNegativeAttemptAreAccepted() {
    assertThatThrownBy(() -> new ActivityAttempt("../../etc", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ActivityAttempt("0".repeat(32), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
