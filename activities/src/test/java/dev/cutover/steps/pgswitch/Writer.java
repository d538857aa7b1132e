package dev.cutover.steps.pgswitch;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A client committing one row after another, as an application taking orders does, logging every
 * row the server acknowledged. When its connection fails it reconnects to what {@code target} says
 * then (its own configuration), like an application's pool.
 */
final class Writer implements AutoCloseable {
  private final String label;
  private final Supplier<String> target;
  private final String user;
  private final String password;
  private final String applicationName;
  private final boolean reconnect;
  private final List<String> acked = Collections.synchronizedList(new ArrayList<>());
  private final List<String> targets = Collections.synchronizedList(new ArrayList<>());
  private final List<Long> ackedAtNanos = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger errors = new AtomicInteger();
  private volatile String lastError;
  private final Thread thread;
  private volatile boolean stop;

  /**
   * @param target the JDBC URL to (re)connect to, read at each connection
   * @param reconnect false for a session that is never opened again once cut
   */
  Writer(
      String label,
      Supplier<String> target,
      String user,
      String password,
      String applicationName,
      boolean reconnect) {
    this.label = label;
    this.target = target;
    this.user = user;
    this.password = password;
    this.applicationName = applicationName;
    this.reconnect = reconnect;
    this.thread = new Thread(this::loop, "writer-" + label);
    thread.setDaemon(true);
  }

  Writer start() {
    thread.start();
    return this;
  }

  /** The rows acknowledged so far. */
  List<String> acked() {
    synchronized (acked) {
      return List.copyOf(acked);
    }
  }

  /** The URLs it wrote through, in order, each once. */
  List<String> targets() {
    synchronized (targets) {
      return List.copyOf(targets);
    }
  }

  int errors() {
    return errors.get();
  }

  /** The last error it saw, for assertion messages; {@code null} for none. */
  String lastError() {
    return lastError;
  }

  /** The longest time between two acknowledgements, in ms: what the application felt. */
  long longestGapMillis() {
    synchronized (ackedAtNanos) {
      long longest = 0;
      for (int i = 1; i < ackedAtNanos.size(); i++) {
        longest = Math.max(longest, ackedAtNanos.get(i) - ackedAtNanos.get(i - 1));
      }
      return longest / 1_000_000;
    }
  }

  /** Waits until at least {@code more} further rows were acknowledged, at most 20 s. */
  void awaitMore(int more) throws InterruptedException {
    int goal = acked.size() + more;
    long until = System.nanoTime() + 20_000_000_000L;
    while (acked.size() < goal && System.nanoTime() < until) {
      Thread.sleep(5);
    }
  }

  private void loop() {
    Connection c = null;
    int n = 0;
    boolean opened = false;
    while (!stop) {
      try {
        if (c == null) {
          if (opened && !reconnect) {
            Thread.sleep(5);
            continue;
          }
          String url = target.get();
          c = connect(url);
          opened = true;
          synchronized (targets) {
            if (targets.isEmpty() || !targets.get(targets.size() - 1).equals(url)) {
              targets.add(url);
            }
          }
        }
        String name = label + "-" + (++n);
        try (PreparedStatement s = c.prepareStatement("insert into items(name) values (?)")) {
          s.setString(1, name);
          s.executeUpdate();
        }
        ackedAtNanos.add(System.nanoTime());
        acked.add(name);
      } catch (SQLException e) {
        errors.incrementAndGet();
        lastError = e.getMessage();
        close(c);
        c = null;
        pause();
      } catch (InterruptedException e) {
        break;
      }
    }
    close(c);
  }

  private Connection connect(String url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("ApplicationName", applicationName);
    props.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(url, props);
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // gone either way
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      stop = true;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    thread.join(10_000);
  }
}
