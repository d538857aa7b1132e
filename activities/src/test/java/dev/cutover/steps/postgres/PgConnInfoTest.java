package dev.cutover.steps.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.plan.Host;
import org.junit.jupiter.api.Test;

/** Connection strings and versions: what libpq and the version checks read. */
class PgConnInfoTest {
  static final Host LOCAL = Host.local(null);

  @Test
  void toolsReachAServerAtItsAddressOrOnTheirOwnHostLocally() {
    // given a JDBC source with an address, and a host-tools target on the host the tools run on
    PgEndpoint source =
        new PgEndpoint("old", LOCAL, 5433, "shop", "cutover", "env:P", PgAccess.JDBC, "10.0.0.1");
    PgEndpoint target =
        new PgEndpoint(
            "new", LOCAL, null, "shop", "cutover", "env:P", PgAccess.HOST_TOOLS, "10.0.0.2");
    PgEndpoint peerTarget =
        new PgEndpoint(
            "new", LOCAL, null, "shop", "postgres", null, PgAccess.HOST_TOOLS, "10.0.0.2");

    // then the source is reached at its address, the target at 127.0.0.1 with a password and by its
    // socket without
    assertThat(PgConnInfo.forTools(source, "new", true))
        .isEqualTo(
            "host='10.0.0.1' port='5433' dbname='shop' user='cutover' application_name='cutover' connect_timeout='10'");
    assertThat(PgConnInfo.forTools(target, "new", true))
        .startsWith("host='127.0.0.1' port='5432' ");
    assertThat(PgConnInfo.forTools(peerTarget, "new", false))
        .startsWith("port='5432' dbname='shop' user='postgres'");
    assertThat(PgEndpoint.toolsHost(source, target)).isEqualTo("new");
  }

  @Test
  void valuesCannotAddKeywordsOfTheirOwn() {
    // given a database name and a password that look like more keywords
    PgEndpoint source =
        new PgEndpoint(
            "old", LOCAL, null, "shop' host='evil", "o'brien", "env:P", null, "10.0.0.1");

    // when the subscription's connection string is built
    String conninfo = PgConnInfo.forSubscription(source, "pa ss\\'word");

    // then every value is one quoted libpq value
    assertThat(conninfo)
        .isEqualTo(
            "host='10.0.0.1' port='5432' dbname='shop\\' host=\\'evil' user='o\\'brien'"
                + " password='pa ss\\\\\\'word' connect_timeout='10'");
  }

  @Test
  void majorVersionsCompareAcrossBothNumberings() {
    assertThat(PgVersion.ofServer(150008))
        .isEqualTo(PgVersion.ofTool("pg_dump (PostgreSQL) 15.2 (Debian 15.2-1)"));
    assertThat(PgVersion.ofServer(90624).toString()).isEqualTo("9.6");
    assertThat(
            PgVersion.ofTool("pg_dump (PostgreSQL) 9.6.24").olderThan(PgVersion.ofServer(100001)))
        .isTrue();
    assertThat(PgVersion.ofServer(90624).hasLogicalReplication()).isFalse();
    assertThat(PgVersion.display("15.8 (Debian 15.8-1.pgdg120+1)")).isEqualTo("15.8");
  }
}
