package dev.cutover.cli;

import picocli.CommandLine.Option;

/** Where the Temporal server is; shared by every command that talks to it. */
public class ConnectionOptions {
  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description = "Temporal frontend address (default: $TEMPORAL_ADDRESS or 127.0.0.1:7233).")
  String address;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = "Temporal namespace (default: $TEMPORAL_NAMESPACE or default).")
  String namespace;

  String address() {
    if (address != null) {
      return address;
    }
    String env = System.getenv("TEMPORAL_ADDRESS");
    return env == null || env.isBlank() ? "127.0.0.1:7233" : env;
  }

  String namespace() {
    if (namespace != null) {
      return namespace;
    }
    String env = System.getenv("TEMPORAL_NAMESPACE");
    return env == null || env.isBlank() ? "default" : env;
  }
}
