package dev.cutover.steps.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cutover.hosts.HostShells;
import dev.cutover.hosts.NoSshTransport;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import dev.cutover.testing.PgTestCluster;
import dev.cutover.testing.RealTools;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The facade inside Temporal's test environment: heartbeats and failure types arrive as a workflow
 * would see them.
 */
@RealTools
class PostgresActivitiesImplTest {
  static PgTestCluster old;
  static PgTestCluster fresh;
  static Map<String, String> env;
  TestActivityEnvironment temporal;
  PostgresActivities activities;

  @BeforeAll
  static void start() {
    PgTestCluster.requireInstalled();
    old = PgTestCluster.start("old");
    fresh = PgTestCluster.start("new");
    env =
        Map.of(
            "OLD_PW",
            old.superuserPassword(),
            "NEW_PW",
            fresh.superuserPassword(),
            "WRONG_PW",
            "not-it-Either-9");
    old.createDatabase("shop");
    old.sql(
        "shop",
        "create table items(id serial primary key, name text); insert into items(name) select 'i' || g from generate_series(1, 500) g");
  }

  @AfterAll
  static void stop() {
    if (old != null) {
      old.close();
    }
    if (fresh != null) {
      fresh.close();
    }
  }

  @BeforeEach
  void worker() {
    HostShells shells = new HostShells(new NoSshTransport(), Set.of());
    temporal = TestActivityEnvironment.newInstance();
    temporal.registerActivitiesImplementations(
        new PostgresActivitiesImpl(new PgSessions(shells, new SecretResolver(env)), shells));
    activities =
        temporal.newActivityStub(
            PostgresActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setMaximumAttempts(3)
                        .setInitialInterval(Duration.ofMillis(10))
                        .build())
                .build());
  }

  @AfterEach
  void close() {
    temporal.close();
  }

  @Test
  void aCopyHeartbeatsItsProgress() {
    // given a target database and a heartbeat listener
    fresh.createDatabase("copied");
    List<PgCopyProgress> beats = new CopyOnWriteArrayList<>();
    temporal.setActivityHeartbeatListener(PgCopyProgress.class, beats::add);

    // when the copy runs as an activity
    PgCopyResult result =
        activities.copy(
            new PgCopyRequest(
                "copy-db",
                endpoint(old, "shop", "env:OLD_PW"),
                endpoint(fresh, "copied", "env:NEW_PW"),
                1,
                false,
                false,
                null,
                List.of(),
                List.of()));

    // then the rows arrived and the heartbeats carried the progress
    assertThat(result.tables()).isEqualTo(1);
    assertThat(fresh.query("copied", "select count(*) from items")).containsExactly(List.of("500"));
    assertThat(beats).isNotEmpty();
    assertThat(beats.get(beats.size() - 1).tablesDone()).isEqualTo(1);
  }

  @Test
  void theFinishHeartbeatsTheLagWhileItWaits() {
    // given a replication set up through the activity
    fresh.createDatabase("replicated");
    PgEndpoint source = endpoint(old, "shop", "env:OLD_PW");
    PgEndpoint target = endpoint(fresh, "replicated", "env:NEW_PW");
    PgReplicationSetupResult setup =
        activities.setupReplication(
            new PgReplicationSetupRequest(
                "replicate-db",
                source,
                target,
                "cutover_shop",
                "cutover_shop",
                null,
                List.of(),
                true,
                true));
    List<PgReplicationLagResult> beats = new CopyOnWriteArrayList<>();
    temporal.setActivityHeartbeatListener(PgReplicationLagResult.class, beats::add);

    // when the finish runs
    PgReplicationFinishResult finish =
        activities.finishReplication(
            new PgReplicationFinishRequest(
                "catch-up",
                source,
                target,
                setup.publication(),
                setup.subscription(),
                null,
                true,
                List.of(),
                Duration.ofMillis(100),
                true));

    // then the lag was reported while it waited, and the replication is gone
    assertThat(beats).anySatisfy(b -> assertThat(b.sourceLsn()).matches("[0-9A-F]+/[0-9A-F]+"));
    assertThat(finish.subscriptionDropped()).isTrue();
    assertThat(finish.slotDropped()).isTrue();
    assertThat(finish.publicationDropped()).isTrue();
    assertThat(fresh.query("replicated", "select count(*) from items"))
        .containsExactly(List.of("500"));
  }

  @Test
  void aWrongPasswordReachesTheWorkflowAsANonRetryableAuthenticationFailureWithoutThePassword() {
    // given the source's secret holds a wrong password
    PgEndpoint wrong = endpoint(old, "shop", "env:WRONG_PW");

    // when the replication setup runs as an activity
    ActivityFailure failure =
        catchThrowableOfType(
            ActivityFailure.class,
            () ->
                activities.setupReplication(
                    new PgReplicationSetupRequest(
                        "replicate-db",
                        wrong,
                        endpoint(fresh, "postgres", "env:NEW_PW"),
                        "p",
                        "s",
                        null,
                        List.of(),
                        true,
                        true)));

    // then the workflow sees the type that stops retries, a message naming the step and database,
    // and no password
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertThat(cause.getType()).isEqualTo(CutoverErrors.DB_AUTH_FAILED);
    assertThat(cause.isNonRetryable()).isTrue();
    assertThat(cause.getOriginalMessage())
        .startsWith("step replicate-db on database source (shop on old:")
        .doesNotContain("not-it-Either-9");
  }

  static PgEndpoint endpoint(PgTestCluster cluster, String db, String passwordRef) {
    return cluster.endpoint(db, "postgres", passwordRef, PgAccess.JDBC);
  }
}
