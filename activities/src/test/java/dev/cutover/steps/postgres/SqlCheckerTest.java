package dev.cutover.steps.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.Heartbeat;
import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@code sql} step against a real server, through JDBC and through psql on the host. */
@RealTools
class SqlCheckerTest {
  static final String PASSWORD = "check-Pw-1f2e";
  static final Heartbeat<Object> IGNORE = details -> {};

  static PgTestCluster pg;
  static SqlChecker checker;

  @BeforeAll
  static void startServer() {
    PgTestCluster.requireInstalled();
    pg = PgTestCluster.start("old");
    pg.createRole("cutover", PASSWORD, null);
    pg.createDatabase("shop");
    pg.sql(
        "shop",
        "create table orders (id int primary key, state text);"
            + "insert into orders select g, case when g % 10 = 0 then 'open' else 'done' end from generate_series(1, 50) g;"
            + "grant select on orders to cutover");
    checker =
        new SqlChecker(
            new PgSessions(
                new HostShells(new NoSshTransport(), Set.of()),
                new SecretResolver(Map.of("SHOP_PW", PASSWORD))));
  }

  @AfterAll
  static void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void aResultThatMeetsTheExpectationIsReturnedAsMatched(PgAccess access) {
    // given a query whose one row holds the expected value
    SqlCheckRequest request =
        request(access, "select count(*) as open from orders where state = 'open'", 1, "5");

    // when the step runs
    SqlCheckResult result = checker.check(request, IGNORE);

    // then it succeeds with what the query returned
    assertThat(result.matched()).isTrue();
    assertThat(result.columns()).containsExactly("open");
    assertThat(result.rows()).containsExactly(List.of("5"));
    assertThat(result.rowCount()).isEqualTo(1);
    assertThat(result.truncated()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void aDifferentValueIsARetryableSqlCheckFailedWithTheResultAsDetails(PgAccess access) {
    // given a check that clients are gone while 5 orders are still open
    SqlCheckRequest request =
        request(access, "select count(*) from orders where state = 'open'", null, "0");

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checker.check(request, IGNORE));

    // then it fails in a way Temporal retries (the condition may hold later), saying what came back
    assertThat(failure.getType()).isEqualTo(PostgresActivities.SQL_CHECK_FAILED);
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .startsWith("step old-is-idle on database shop (shop on old:" + pg.port() + ")")
        .contains("expected the value 0, the query returned 5");
    SqlCheckResult details = failure.getDetails().get(SqlCheckResult.class);
    assertThat(details.matched()).isFalse();
    assertThat(details.rows()).containsExactly(List.of("5"));
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void aDifferentRowCountFails(PgAccess access) {
    // given a query expected to return one row that returns five
    SqlCheckRequest request =
        request(access, "select id from orders where state = 'open' order by id", 1, null);

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checker.check(request, IGNORE));

    // then the message has both counts and the first value
    assertThat(failure.getType()).isEqualTo(PostgresActivities.SQL_CHECK_FAILED);
    assertThat(failure.getOriginalMessage())
        .contains("expected 1 row, the query returned 5 rows, first value 10");
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void atMostTwentyRowsAreKeptAndAllAreCounted(PgAccess access) {
    // given a query returning 50 rows, all expected
    SqlCheckRequest request = request(access, "select id, state from orders order by id", 50, "1");

    // when the step runs
    SqlCheckResult result = checker.check(request, IGNORE);

    // then the history gets the first 20 rows and the count of all
    assertThat(result.matched()).isTrue();
    assertThat(result.rows()).hasSize(SqlChecker.KEEP_ROWS);
    assertThat(result.rows().get(19)).containsExactly("20", "open");
    assertThat(result.rowCount()).isEqualTo(50);
    assertThat(result.truncated()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void aNullNeverMatchesAnExpectedValue(PgAccess access) {
    // given a query whose value is NULL
    SqlCheckRequest request =
        request(access, "select max(id) from orders where state = 'gone'", 1, "");

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checker.check(request, IGNORE));

    // then NULL is not the empty string, and the message says NULL
    assertThat(failure.getType()).isEqualTo(PostgresActivities.SQL_CHECK_FAILED);
    assertThat(failure.getOriginalMessage()).contains("the query returned NULL");
    assertThat(failure.getDetails().get(SqlCheckResult.class).rows())
        .containsExactly(Arrays.asList((String) null));
  }

  @ParameterizedTest
  @EnumSource(PgAccess.class)
  void aQueryTheServerRejectsIsANonRetryableSqlError(PgAccess access) {
    // given a query with a typo in a column name
    SqlCheckRequest request =
        request(access, "select count(*) from orders where sate = 'open'", null, "0");

    // when the step runs
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> checker.check(request, IGNORE));

    // then retrying cannot help, and the message has the step, the database and the server's reason
    assertThat(failure.getType()).isEqualTo(CutoverErrors.SQL_ERROR);
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("step old-is-idle on database shop (shop on old:")
        .contains("column \"sate\" does not exist");
  }

  @Test
  void noExpectationMatchesAnyResult() {
    // given a query with no expectation: the step only needs it to run
    SqlCheckRequest request = request(PgAccess.JDBC, "select 1 where false", null, null);

    // when the step runs
    SqlCheckResult result = checker.check(request, IGNORE);

    // then it succeeds with no row
    assertThat(result.matched()).isTrue();
    assertThat(result.rowCount()).isZero();
  }

  private static SqlCheckRequest request(
      PgAccess access, String sql, Integer expectRows, String expectValue) {
    return new SqlCheckRequest(
        "old-is-idle",
        pg.endpoint("shop", "cutover", "env:SHOP_PW", access),
        sql,
        expectRows,
        expectValue);
  }
}
