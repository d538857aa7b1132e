package dev.cutover.worker;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The cutover worker. With the {@code embedded} profile it first starts an in-memory Temporal
 * server on loopback ({@code cutover.embedded.port}, default 7233) and connects to it.
 */
@SpringBootApplication
public class CutoverWorkerApplication {

  public static void main(String[] args) throws Exception {
    if (embeddedProfile(args)) {
      int port =
          Integer.parseInt(
              argValue(
                  args,
                  "--cutover.embedded.port=",
                  System.getProperty("cutover.embedded.port", "7233")));
      EmbeddedTemporal server = EmbeddedTemporal.start(port);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-temporal-stop"));
      System.setProperty("spring.temporal.connection.target", server.target());
      System.out.println(
          "cutover: embedded Temporal server listening on "
              + server.target()
              + " (in memory, loopback only)");
    }
    SpringApplication.run(CutoverWorkerApplication.class, args);
  }

  private static boolean embeddedProfile(String[] args) {
    String profiles =
        argValue(
            args,
            "--spring.profiles.active=",
            System.getProperty(
                "spring.profiles.active",
                System.getenv().getOrDefault("SPRING_PROFILES_ACTIVE", "")));
    return Arrays.asList(profiles.split(",")).contains("embedded");
  }

  private static String argValue(String[] args, String prefix, String fallback) {
    for (String a : args) {
      if (a.startsWith(prefix)) {
        return a.substring(prefix.length());
      }
    }
    return fallback;
  }
}
