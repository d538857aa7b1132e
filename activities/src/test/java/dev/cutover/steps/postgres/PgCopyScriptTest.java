package dev.cutover.steps.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.hosts.ExecWatch;
import dev.cutover.hosts.LocalShell;
import dev.cutover.hosts.ShellCommand;
import dev.cutover.hosts.ShellResult;
import dev.cutover.testing.RealTools;
import dev.cutover.testing.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dump|restore script with stand-in pg_dump and pg_restore that record what they were given:
 * which password each tool sees, the exit codes and byte counts the copier reads, the temporary
 * directory of a parallel copy.
 */
class PgCopyScriptTest {
  static final String SOURCE_SECRET = "src-Secret'1";
  static final String TARGET_SECRET = "dst-Secret\"2";

  @TempDir Path dir;
  Path bin;
  Path log;
  Path tmp;

  @BeforeEach
  void fakeTools() throws IOException {
    bin = Files.createDirectories(dir.resolve("bin"));
    tmp = Files.createDirectories(dir.resolve("tmp"));
    log = dir.resolve("calls.log");
    tool(
        "pg_dump",
        """
        echo "pg_dump password=${PGPASSWORD-unset} args=$*" >> "$FAKE_LOG"
        if [ -n "${FAKE_DUMP_FAIL-}" ]; then
          echo 'pg_dump: error: connection to server at "10.0.0.1", port 5432 failed: FATAL:  password authentication failed for user "shop"' >&2
          exit 1
        fi
        out=
        while [ $# -gt 0 ]; do [ "$1" = -f ] && out=$2; shift; done
        if [ -n "$out" ]; then
          mkdir -p "$out" && head -c 5000 /dev/zero > "$out/3354.dat" && echo "$out" > "$FAKE_DIR_SEEN"
        else
          head -c 12345 /dev/zero
        fi
        """);
    tool(
        "pg_restore",
        """
        echo "pg_restore password=${PGPASSWORD-unset} args=$*" >> "$FAKE_LOG"
        case " $* " in *" -l "*)
          echo '3354; 0 16386 TABLE DATA public items postgres'
          echo '3355; 0 16394 TABLE DATA public logs postgres'
          exit 0;;
        esac
        cat > /dev/null
        echo 'pg_restore: creating TABLE "public.items"' >&2
        echo 'pg_restore: processing data for table "public.items"' >&2
        echo 'pg_restore: processing data for table "public.logs"' >&2
        """);
  }

  @Test
  void oneJobStreamsThroughDdWithEachPasswordOnlyForItsOwnTool() throws IOException {
    // given a one-job copy with a password for each server and options for both tools
    PgCopyScript script =
        new PgCopyScript(
            "host='10.0.0.1' dbname='shop'",
            true,
            "host='10.0.0.2' dbname='shop'",
            true,
            PgCopyScript.dumpOptions(List.of("public"), List.of("public.log")),
            PgCopyScript.restoreOptions(true, true, "shop"),
            1,
            true,
            "copy-db");

    // when it runs
    PgCopyFollower follower = run(script, Map.of());

    // then the passwords were never part of the script, each tool saw only its own, and the copier
    // can read the outcome
    assertThat(script.script()).doesNotContain(SOURCE_SECRET).doesNotContain(TARGET_SECRET);
    String calls = Files.readString(log);
    assertThat(calls)
        .contains(
            "pg_dump password="
                + SOURCE_SECRET
                + " args=-Fc -Z0 -n public -T public.log -d host='10.0.0.1' dbname='shop'");
    assertThat(calls)
        .contains(
            "pg_restore password="
                + TARGET_SECRET
                + " args=--verbose --clean --if-exists --single-transaction"
                + " --exit-on-error --no-owner --no-privileges --role=shop -d host='10.0.0.2' dbname='shop'");
    assertThat(follower.exit("pg_dump")).isZero();
    assertThat(follower.exit("dd")).isZero();
    assertThat(follower.exit("pg_restore")).isZero();
    assertThat(follower.bytes()).isEqualTo(12345);
    assertThat(follower.tables()).isEqualTo(2);
    assertThat(follower.progress().current())
        .isEqualTo("processing data for table \"public.logs\"");
  }

  @Test
  void aFailedDumpIsReportedByItsOwnExitCodeAndErrorLine() {
    // given a dump that fails to log in, and a server without a password for the target
    PgCopyScript script =
        new PgCopyScript(
            "dbname='shop'",
            true,
            "dbname='shop'",
            false,
            List.of(),
            List.of(),
            1,
            false,
            "copy-db");

    // when it runs
    PgCopyFollower follower = run(script, Map.of("FAKE_DUMP_FAIL", "1"));

    // then pg_dump's own failure is known, though the pipeline's last command was pg_restore
    assertThat(follower.exit("pg_dump")).isEqualTo(1);
    assertThat(follower.error("pg_dump"))
        .startsWith("error: connection to server at \"10.0.0.1\"")
        .contains("password authentication failed");
    assertThat(
            PgToolFailures.of(
                    "step copy-db: pg_dump on host worker", follower.error("pg_dump"), null)
                .getType())
        .isEqualTo("DatabaseAuthenticationFailed");
  }

  @Test
  void parallelJobsUseATemporaryDirectoryThatIsRemovedWithWhatAKilledAttemptLeft()
      throws IOException {
    // given a directory a killed earlier attempt of the same copy left behind
    Path leftover = Files.createDirectories(tmp.resolve("cutover-pgcopy-copy-db.AbC123/dump"));
    PgCopyScript script =
        new PgCopyScript(
            "dbname='old'", true, "dbname='new'", true, List.of(), List.of(), 3, true, "copy-db");

    // when a copy with three jobs runs
    PgCopyFollower follower = run(script, Map.of());

    // then both tools ran with three jobs on a directory archive, and no temporary directory is
    // left
    String calls = Files.readString(log);
    assertThat(calls)
        .contains("pg_dump password=" + SOURCE_SECRET + " args=-Fd -j 3 --verbose -f ");
    assertThat(calls)
        .contains(
            "pg_restore password="
                + TARGET_SECRET
                + " args=-j 3 --verbose --clean --if-exists --exit-on-error -d dbname='new' ");
    Path used = Path.of(Files.readString(dir.resolve("dir-seen")).trim());
    assertThat(used.getParent().getFileName().toString()).startsWith("cutover-pgcopy-copy-db.");
    assertThat(used.getParent()).doesNotExist();
    assertThat(leftover.getParent()).doesNotExist();
    assertThat(tmp).isEmptyDirectory();
    assertThat(follower.exit("pg_restore")).isZero();
    assertThat(follower.bytes()).isGreaterThanOrEqualTo(5000);
    assertThat(follower.tables()).isEqualTo(2);
  }

  @Test
  void theProbeSaysWhatIsMissingAndWhatIsTooOld() {
    // given a host whose pg_dump is older than the source server, and one without pg_restore
    PgToolsProbe old =
        PgToolsProbe.parse(
            "tool pg_dump pg_dump (PostgreSQL) 13.4 (Debian 13.4-1)\n"
                + "tool pg_restore pg_restore (PostgreSQL) 13.4 (Debian 13.4-1)\ndd progress\n");
    PgToolsProbe missing =
        PgToolsProbe.parse("tool pg_dump pg_dump (PostgreSQL) 16.1\ntool pg_restore missing\n");

    // when each is checked against a PostgreSQL 15 source
    List<String> oldProblems = old.problems("new", PgVersion.ofServer(150008));
    List<String> missingProblems = missing.problems("new", PgVersion.ofServer(150008));

    // then each problem names the host, the versions and what to install
    assertThat(oldProblems)
        .containsExactly(
            "pg_dump 13.4 on host new is older than the source server (15) and refuses to dump it;"
                + " install the PostgreSQL client tools 15 or newer there (Debian/Ubuntu: postgresql-client-15)");
    assertThat(missingProblems)
        .singleElement()
        .asString()
        .startsWith("pg_restore is not installed on host new");
    assertThat(old.ddProgress()).isTrue();
    assertThat(missing.ddProgress()).isFalse();
  }

  @RealTools
  @Test
  void theRealProbeFindsTheInstalledTools() {
    // given Debian's PostgreSQL client tools on this machine
    RequiredTool.require(
        "pg_dump", "apt-get install postgresql-client", Path.of("/usr/bin/pg_dump"));

    // when the probe runs on this machine
    ShellResult result =
        new LocalShell("worker", Set.of())
            .exec(ShellCommand.of(PgToolsProbe.SCRIPT, Duration.ofSeconds(30)));
    PgToolsProbe probe = PgToolsProbe.parse(result.stdout());

    // then it finds pg_dump and its version
    assertThat(probe.has("pg_dump")).isTrue();
    assertThat(probe.version("pg_dump")).isNotNull();
  }

  private PgCopyFollower run(PgCopyScript script, Map<String, String> extraEnv) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    env.put("TMPDIR", tmp.toString());
    env.put("FAKE_LOG", log.toString());
    env.put("FAKE_DIR_SEEN", dir.resolve("dir-seen").toString());
    env.put(PgCopyScript.SOURCE_PASSWORD, SOURCE_SECRET);
    env.put(PgCopyScript.TARGET_PASSWORD, TARGET_SECRET);
    PgCopyFollower follower = new PgCopyFollower();
    new LocalShell("worker", Set.of())
        .exec(
            new ShellCommand(
                script.script(),
                env,
                List.of(SOURCE_SECRET, TARGET_SECRET),
                null,
                false,
                null,
                Duration.ofSeconds(30)),
            new ExecWatch() {
              @Override
              public void line(String line) {
                follower.line(line);
              }
            });
    return follower;
  }

  private void tool(String name, String body) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
