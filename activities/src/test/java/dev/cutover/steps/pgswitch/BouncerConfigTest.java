package dev.cutover.steps.pgswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Reading and repointing one [databases] entry of a PgBouncer config, every other byte kept. */
class BouncerConfigTest {
  private static final String INI =
      "; shop's bouncer\r\n"
          + "[databases]\r\n"
          + "other = host=10.0.0.9 dbname=other\r\n"
          + "shop = host=127.0.0.1 port=5432 dbname=shop user=app pool_size=20 password='it''s'\r\n"
          + ";shop = host=10.0.0.7\r\n"
          + "\r\n"
          + "[pgbouncer]\r\n"
          + "shop = not a database\r\n"
          + "listen_port = 6432";

  @Test
  void theEntryIsReadFromTheDatabasesSectionOnly() {
    // given a file with the entry, a commented copy and a key of the same name in [pgbouncer]
    BouncerConfig config = new BouncerConfig(INI);

    // when the entry is read
    BouncerEntry shop = config.entry("shop");

    // then it is the [databases] one
    assertThat(shop).isEqualTo(new BouncerEntry("shop", "127.0.0.1", 5432, "shop"));
    assertThat(config.names()).containsExactly("other", "shop");
    assertThat(config.entry("other").portOrDefault()).isEqualTo(5432);
    assertThat(config.entry("missing")).isNull();
  }

  @Test
  void aRepointChangesHostPortAndDbnameOnlyAndKeepsEveryOtherByte() {
    // given the file
    BouncerConfig config = new BouncerConfig(INI);

    // when the entry is pointed at another server with a name that needs quoting
    String line = config.repointedLine("shop", "10.0.0.3", 5433, "it's shop");
    BouncerConfig next = config.withLine("shop", line);

    // then host, port and dbname are quoted, the other keys kept as written, the rest unchanged
    assertThat(line)
        .isEqualTo(
            "shop = host='10.0.0.3' port=5433 dbname='it''s shop' user=app pool_size=20"
                + " password='it''s'");
    assertThat(next.entry("shop"))
        .isEqualTo(new BouncerEntry("shop", "10.0.0.3", 5433, "it's shop"));
    assertThat(next.text()).isEqualTo(INI.replace(config.line("shop"), line));
    assertThat(next.text()).contains(";shop = host=10.0.0.7\r\n").endsWith("listen_port = 6432");
  }

  @Test
  void anIncludedFileWithoutSectionsHoldsEntriesAndAnEntryTwiceIsRefused() {
    // given an included file without a section header, and one with the entry twice
    BouncerConfig included = new BouncerConfig("shop = host=/var/run/postgresql\n");
    BouncerConfig twice = new BouncerConfig("[databases]\nshop = host=a\nshop = host=b\n");

    // then the first is read, local, and the second is refused rather than guessed
    assertThat(included.entry("shop").local()).isTrue();
    assertThat(included.entry("shop").databaseOrName()).isEqualTo("shop");
    assertThatThrownBy(() -> twice.entry("shop")).hasMessageContaining("twice");
  }

  @Test
  void anEntrySendsToAServerByAddressOrAsLocalOnTheBouncersHost() {
    BouncerEntry local = new BouncerEntry("shop", "127.0.0.1", null, null);
    BouncerEntry remote = new BouncerEntry("shop", "10.0.0.3", 5433, "shop");

    assertThat(local.sendsTo("10.0.0.2", 5432, "shop", true)).isTrue();
    assertThat(local.sendsTo("10.0.0.2", 5432, "shop", false)).isFalse();
    assertThat(remote.sendsTo("10.0.0.3", 5433, "shop", false)).isTrue();
    assertThat(remote.sendsTo("10.0.0.3", 5432, "shop", false)).isFalse();
    assertThat(remote.sendsTo("10.0.0.3", 5433, "other", false)).isFalse();
  }
}
