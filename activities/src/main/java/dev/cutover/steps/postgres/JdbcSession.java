package dev.cutover.steps.postgres;

import dev.cutover.hosts.HostShell;
import dev.cutover.hosts.Pause;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A session over JDBC from the worker, to {@code jdbc:postgresql://ADDRESS:PORT/DB}: one connection
 * for the session's life, in autocommit.
 *
 * <p>With a beat, statements run on a thread of their own while the caller's thread calls the beat
 * every {@link HostShell#BEAT_EVERY}: a long checksum keeps the activity's heartbeat going, and a
 * beat that throws (the activity was canceled) cancels the statement on the server.
 */
public final class JdbcSession implements PgSession {
  static final int CONNECT_TIMEOUT_SECONDS = 5;
  static final String APPLICATION_NAME = "cutover";

  private final String name;
  private final PgEndpoint endpoint;
  private final String password;
  private final Runnable beat;
  private final Connection connection;
  private ExecutorService runner;
  private Integer versionNum;

  /**
   * Connects at once, so a wrong password or a missing database fails here.
   *
   * @param password the resolved password; {@code null} for none
   * @param beat called while a statement runs; {@code null} for none
   */
  JdbcSession(String name, PgEndpoint endpoint, String address, String password, Runnable beat) {
    this.name = name;
    this.endpoint = endpoint;
    this.password = password;
    this.beat = beat;
    this.connection = connect(address);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PgEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public PgRows query(String sql, int keepRows) {
    return run(
        statement -> {
          // Statements before the one with rows (a SET) give update counts: skip them, as psql
          // prints nothing for them.
          boolean hasRows = statement.execute(sql);
          while (!hasRows) {
            if (statement.getUpdateCount() == -1) {
              return new PgRows(List.of(), List.of());
            }
            hasRows = statement.getMoreResults();
          }
          try (ResultSet rs = statement.getResultSet()) {
            ResultSetMetaData meta = rs.getMetaData();
            int width = meta.getColumnCount();
            List<String> columns = new ArrayList<>(width);
            for (int i = 1; i <= width; i++) {
              columns.add(meta.getColumnLabel(i));
            }
            List<List<String>> rows = new ArrayList<>();
            long count = 0;
            while (rs.next()) {
              count++;
              if (rows.size() < keepRows) {
                List<String> row = new ArrayList<>(width);
                for (int i = 1; i <= width; i++) {
                  row.add(rs.getString(i));
                }
                rows.add(row);
              }
            }
            return new PgRows(columns, rows, count);
          }
        });
  }

  @Override
  public void execute(String sql) {
    run(statement -> statement.execute(sql));
  }

  @Override
  public int serverVersionNum() {
    if (versionNum == null) {
      versionNum = Integer.parseInt(query("show server_version_num").single().trim());
    }
    return versionNum;
  }

  @Override
  public void close() {
    if (runner != null) {
      runner.shutdownNow();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      // the connection is gone either way
    }
  }

  private Connection connect(String address) {
    Properties props = new Properties();
    props.setProperty("user", endpoint.user());
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("ApplicationName", APPLICATION_NAME);
    props.setProperty("tcpKeepAlive", "true");
    String url =
        "jdbc:postgresql://"
            + hostPart(address)
            + ":"
            + endpoint.portOrDefault()
            + "/"
            + urlEncode(endpoint.database());
    try {
      // The driver directly, not DriverManager: the worker's class loaders need not have registered
      // it.
      Connection c = new org.postgresql.Driver().connect(url, props);
      if (c == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            describe() + ": not a PostgreSQL JDBC address: " + url,
            dev.cutover.steps.CutoverErrors.INVALID_CONFIG);
      }
      c.setAutoCommit(true);
      return c;
    } catch (SQLException e) {
      throw PgFailures.fromJdbc(describe(), e, password);
    }
  }

  /** Runs one statement, beating while it runs when there is a beat. */
  private <T> T run(Work<T> work) {
    try (Statement statement = connection.createStatement()) {
      if (beat == null) {
        return work.apply(statement);
      }
      Future<T> running = runner().submit(() -> work.apply(statement));
      try {
        while (true) {
          try {
            return running.get(HostShell.BEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
          } catch (TimeoutException stillRunning) {
            beat.run();
          }
        }
      } catch (RuntimeException | Error canceled) {
        statement.cancel();
        running.cancel(true);
        throw canceled;
      } catch (InterruptedException e) {
        statement.cancel();
        running.cancel(true);
        throw Pause.interrupted(describe());
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SQLException sql) {
          throw sql;
        }
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
    } catch (SQLException e) {
      throw PgFailures.fromJdbc(describe(), e, password);
    }
  }

  private synchronized ExecutorService runner() {
    if (runner == null) {
      runner =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "pg-" + name);
                t.setDaemon(true);
                return t;
              });
    }
    return runner;
  }

  /** IPv6 literals go in brackets in a URL. */
  private static String hostPart(String address) {
    return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
  }

  private static String urlEncode(String database) {
    return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  @FunctionalInterface
  private interface Work<T> {
    T apply(Statement statement) throws SQLException;
  }
}
