package dev.cutover.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on 127.0.0.1 (the JDK's HTTP server) that records every request, answers 200
 * "ok" like Slack, and can be told to fail the next requests with a status or to answer late.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One request as it arrived. */
  public record Received(
      String method,
      String path,
      String contentType,
      String idempotencyKey,
      String cutoverKey,
      String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile int failureStatus = 500;
  private volatile Duration delay = Duration.ZERO;

  private WebhookReceiver(HttpServer server) {
    this.server = server;
  }

  public static WebhookReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server);
      server.createContext(
          "/",
          exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
              body = in.readAllBytes();
            }
            receiver.received.add(
                new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("X-Cutover-Key"),
                    new String(body, StandardCharsets.UTF_8)));
            sleep(receiver.delay);
            boolean fail = receiver.failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            byte[] reply =
                (fail ? "receiver_failed at " + exchange.getRequestURI() : "ok")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? receiver.failureStatus : 200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
          });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the webhook receiver", e);
    }
  }

  /** The URL of a hook on this receiver; {@code path} plays the secret token of a real webhook. */
  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /**
   * The next {@code count} requests get {@code status} (their body names the path, as some
   * receivers echo it).
   */
  public void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /** Every answer waits this long first. */
  public void answerAfter(Duration delay) {
    this.delay = delay;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void sleep(Duration delay) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
