package dev.cutover.worker;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.cutover.secrets.SecretResolver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker's own logging configuration (logback-spring.xml, with Spring Boot's patterns and
 * appenders it includes) masks secrets in lines written by any logger, not only by the activities.
 */
class LogMaskingTest {
  @TempDir Path dir;

  @Test
  void aResolvedSecretIsMaskedInEveryLineAnyLoggerWrites() throws Exception {
    // given a secret the worker resolved for a step (unique, so other tests' secrets do not matter)
    String secret = "tok/Xy9-" + UUID.randomUUID();
    new SecretResolver(Map.of("API_TOKEN", secret)).resolve("env:API_TOKEN");
    String jsonEscaped = secret.replace("/", "\\/");
    String base64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("worker.log");

    // when third-party loggers write it through the worker's console and file appenders
    String out =
        captureStdout(
            () -> {
              LoggerContext context = configure(file);
              Logger wire = context.getLogger("org.apache.hc.client5.http.headers");
              wire.setLevel(Level.DEBUG);
              wire.debug("http-outgoing-0 >> Authorization: Bearer " + secret);
              wire.debug("http-outgoing-0 >> X-Token: {}", secret);
              wire.debug("http-outgoing-0 << {\"echo\":\"" + jsonEscaped + "\"}");
              wire.debug("http-outgoing-0 << body " + base64);
              Logger sdk = context.getLogger("io.temporal.internal.activity.ActivityTaskExecutors");
              sdk.warn(
                  "Activity failure",
                  new IllegalStateException(
                      "login refused for " + secret,
                      new IOException("server said " + jsonEscaped)));
              sdk.info("plain line without secrets: 42 rows copied");
              context.stop();
            });
    String written = Files.readString(file);

    // then neither output holds any form of it, the masks are there, and other text is intact
    for (String output : new String[] {out, written}) {
      assertThat(output)
          .doesNotContain(secret)
          .doesNotContain(jsonEscaped)
          .doesNotContain(base64)
          .doesNotContain(secret.substring(secret.indexOf('/') + 1));
      assertThat(output)
          .contains("Authorization: Bearer ***")
          .contains("X-Token: ***")
          .contains("{\"echo\":\"***\"}")
          .contains("body ***")
          .contains("java.lang.IllegalStateException: login refused for ***")
          .contains("Caused by: java.io.IOException: server said ***")
          .contains("at dev.cutover.worker.LogMaskingTest")
          .contains(" : plain line without secrets: 42 rows copied" + System.lineSeparator());
    }
  }

  /**
   * Logback configured from the worker's logback-spring.xml, with a log file as logging.file.name
   * sets it.
   */
  private static LoggerContext configure(Path file) throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    context.putProperty("LOG_FILE", file.toString());
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    URL xml = LogMaskingTest.class.getClassLoader().getResource("logback-spring.xml");
    assertThat(xml).isNotNull();
    configurator.doConfigure(xml);
    return context;
  }

  private interface Body {
    void run() throws Exception;
  }

  private static String captureStdout(Body body) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
