package dev.cutover.workflow;

import java.util.List;

/** Failure types activities raise; the non-retryable ones stop retries at once. */
public final class CutoverErrors {
  public static final String INVALID_CONFIG = "InvalidConfig";
  public static final String SECRET_UNAVAILABLE = "SecretUnavailable";
  public static final String TRANSPORT_UNAVAILABLE = "TransportUnavailable";
  public static final String COMMAND_NOT_FOUND = "CommandNotFound";
  public static final String PERMISSION_DENIED = "PermissionDenied";
  public static final String HOST_KEY_MISMATCH = "HostKeyMismatch";
  public static final String AUTH_FAILED = "AuthenticationFailed";
  public static final String MISSING_TOOL = "MissingTool";
  /** A command ran and exited non-zero: often transient (a lock, a busy service), so retried. */
  public static final String COMMAND_FAILED = "CommandFailed";
  public static final String COMMAND_TIMED_OUT = "CommandTimedOut";

  /** Retrying these cannot help: the plan, the host or the credentials must change first. */
  public static final List<String> NON_RETRYABLE =
      List.of(INVALID_CONFIG, SECRET_UNAVAILABLE, TRANSPORT_UNAVAILABLE, COMMAND_NOT_FOUND,
          PERMISSION_DENIED, HOST_KEY_MISMATCH, AUTH_FAILED, MISSING_TOOL);

  private CutoverErrors() {}
}
