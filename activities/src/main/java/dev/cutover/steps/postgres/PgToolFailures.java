package dev.cutover.steps.postgres;

import dev.cutover.steps.CutoverErrors;
import dev.cutover.steps.run.RunResult;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Locale;

/**
 * Classifies a pg_dump or pg_restore error line: what retrying cannot fix (a wrong password, a
 * missing database or role, a tool older than the server, a dump the target cannot take) stops at
 * once; a server that is down or a lock conflict is retried.
 */
final class PgToolFailures {
  private static final List<String> AUTH =
      List.of(
          "password authentication failed",
          "no pg_hba.conf entry",
          "authentication failed",
          "no password supplied",
          "peer authentication failed",
          "ident authentication failed");
  private static final List<String> UNREACHABLE =
      List.of(
          "connection refused",
          "could not translate host name",
          "timeout expired",
          "no route to host",
          "connection timed out",
          "server closed the connection unexpectedly",
          "the database system is starting up",
          "the database system is shutting down",
          "the database system is in recovery mode",
          "could not connect to server",
          "network is unreachable",
          "terminating connection due to administrator command",
          "too many clients already",
          "remaining connection slots are reserved");
  private static final List<String> TRANSIENT_SQL =
      List.of(
          "deadlock detected",
          "could not obtain lock",
          "lock timeout",
          "could not serialize access",
          "canceling statement due to");

  private PgToolFailures() {}

  /**
   * @param where what ran, naming the step and host: "step copy-db: pg_dump on host new"
   * @param error the tool's first error line ("error: connection to server ... failed: FATAL: ...")
   */
  static ApplicationFailure of(String where, String error, RunResult details) {
    String lower = error.toLowerCase(Locale.ROOT);
    String message = where + ": " + error;
    if (lower.contains("server version mismatch")) {
      return nonRetryable(
          message + "; install client tools at least as new as the server there",
          CutoverErrors.MISSING_TOOL,
          details);
    }
    boolean connecting =
        lower.contains("connection to server") || lower.contains("could not connect");
    if (AUTH.stream().anyMatch(lower::contains)
        || (connecting && lower.matches(".*fatal:\\s+role \".*\" does not exist.*"))) {
      return nonRetryable(
          message + "; check the role and its password secret, and the server's pg_hba.conf",
          CutoverErrors.DB_AUTH_FAILED,
          details);
    }
    if (connecting && lower.matches(".*fatal:\\s+database \".*\" does not exist.*")) {
      return nonRetryable(message, CutoverErrors.DB_MISSING, details);
    }
    if (UNREACHABLE.stream().anyMatch(lower::contains)) {
      return ApplicationFailure.newFailureWithCause(
          message, CutoverErrors.DB_UNREACHABLE, null, details);
    }
    if (lower.contains("permission denied")
        || lower.contains("must be owner")
        || lower.contains("must be superuser")) {
      return nonRetryable(
          message + "; grant the role what the dump needs, or set noOwner/noPrivileges/role",
          CutoverErrors.PERMISSION_DENIED,
          details);
    }
    if (lower.contains("error:")
        && lower.contains("could not execute query")
        && TRANSIENT_SQL.stream().noneMatch(lower::contains)) {
      // The same dump fails the same way on the same target: a missing role or extension, a lock
      // table too small.
      String hint =
          lower.matches(".*role \".*\" does not exist.*")
              ? "; create the role on the target, or copy with noOwner (and noPrivileges)"
              : lower.contains("out of shared memory")
                  ? "; raise max_locks_per_transaction on the target, or copy with jobs > 1"
                  : "";
      return nonRetryable(message + hint, CutoverErrors.DB_PREREQUISITE, details);
    }
    return ApplicationFailure.newFailureWithCause(
        message, CutoverErrors.COMMAND_FAILED, null, details);
  }

  private static ApplicationFailure nonRetryable(String message, String type, RunResult details) {
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type, null, details);
  }
}
