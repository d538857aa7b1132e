package dev.cutover.steps;

import java.util.List;

/** Failure types activities raise; the non-retryable ones stop retries at once. */
public final class CutoverErrors {
  public static final String INVALID_CONFIG = "InvalidConfig";
  public static final String SECRET_UNAVAILABLE = "SecretUnavailable";
  public static final String TRANSPORT_UNAVAILABLE = "TransportUnavailable";
  public static final String COMMAND_NOT_FOUND = "CommandNotFound";
  public static final String PERMISSION_DENIED = "PermissionDenied";
  public static final String HOST_KEY_MISMATCH = "HostKeyMismatch";

  /** The host presented a key nobody has vouched for: never accepted on first use. */
  public static final String HOST_KEY_UNKNOWN = "HostKeyUnknown";

  public static final String AUTH_FAILED = "AuthenticationFailed";
  public static final String MISSING_TOOL = "MissingTool";

  /** A command ran and exited non-zero: often transient (a lock, a busy service), so retried. */
  public static final String COMMAND_FAILED = "CommandFailed";

  public static final String COMMAND_TIMED_OUT = "CommandTimedOut";

  /** The host did not answer (down, rebooting, a network blip): retried. */
  public static final String HOST_UNREACHABLE = "HostUnreachable";

  /** The connection dropped while a command ran: retried, and idempotent steps resume. */
  public static final String CONNECTION_LOST = "ConnectionLost";

  /**
   * What an earlier attempt of the step left running on a host (its worker died) did not stop, so
   * this attempt did not start its script beside it: retried, and the next attempt tries again.
   */
  public static final String EARLIER_ATTEMPT_RUNNING = "EarlierAttemptRunning";

  /**
   * The host is not in the state the step expects (a file or crontab changed by hand): a person
   * must look.
   */
  public static final String STATE_CONFLICT = "StateConflict";

  /** A preflight check found problems; its message lists each. */
  public static final String PREFLIGHT_FAILED = "PreflightFailed";

  /** The database server refused the role's password or the role (wrong secret, pg_hba). */
  public static final String DB_AUTH_FAILED = "DatabaseAuthenticationFailed";

  /** The database named in the plan does not exist on its server. */
  public static final String DB_MISSING = "DatabaseMissing";

  /** The database server did not answer (down, restarting, a network blip): retried. */
  public static final String DB_UNREACHABLE = "DatabaseUnreachable";

  /**
   * A server does not meet what the step needs: wal_level not logical, a role without replication
   * rights, a table without replica identity, versions that do not fit.
   */
  public static final String DB_PREREQUISITE = "DatabasePrerequisite";

  /**
   * A statement of the plan's (a sql step's query) is not valid SQL or names what does not exist.
   */
  public static final String SQL_ERROR = "SqlError";

  /**
   * A DNS server asked for a zone says it is not authoritative for it (a wrong zone or server in
   * the plan).
   */
  public static final String DNS_ZONE_NOT_SERVED = "DnsZoneNotServed";

  /** The DNS server refused the TSIG key (unknown key, wrong secret or algorithm, clock skew). */
  public static final String DNS_KEY_REFUSED = "DnsKeyRefused";

  /** The DNS server took the key but refused the update (its update policy does not allow it). */
  public static final String DNS_UPDATE_REFUSED = "DnsUpdateRefused";

  /** A DNS server did not answer in time or answered SERVFAIL: retried. */
  public static final String DNS_UNREACHABLE = "DnsServerUnreachable";

  /** nginx -t refused the configuration a step wrote; the previous one was put back first. */
  public static final String NGINX_CONFIG_INVALID = "NginxConfigInvalid";

  /** An http or tls check ran and did not pass: retried, the step's retry policy says how long. */
  public static final String CHECK_FAILED = "CheckFailed";

  /**
   * The worker was told to stop (it is shutting down) while the step ran: retried, on another
   * worker.
   */
  public static final String INTERRUPTED = "Interrupted";

  /**
   * The attempt ran past its timeout or stopped heartbeating: what the workflow and the report
   * record for an activity's timeout, which Temporal reports without an application type.
   */
  public static final String TIMEOUT = "Timeout";

  /** The migration was aborted while the step ran: what the workflow records for the step. */
  public static final String ABORTED = "Aborted";

  /** Retrying these cannot help: the plan, the host or the credentials must change first. */
  public static final List<String> NON_RETRYABLE =
      List.of(
          INVALID_CONFIG,
          SECRET_UNAVAILABLE,
          TRANSPORT_UNAVAILABLE,
          COMMAND_NOT_FOUND,
          PERMISSION_DENIED,
          HOST_KEY_MISMATCH,
          HOST_KEY_UNKNOWN,
          AUTH_FAILED,
          MISSING_TOOL,
          STATE_CONFLICT,
          PREFLIGHT_FAILED,
          DB_AUTH_FAILED,
          DB_MISSING,
          DB_PREREQUISITE,
          SQL_ERROR,
          DNS_ZONE_NOT_SERVED,
          DNS_KEY_REFUSED,
          DNS_UPDATE_REFUSED,
          NGINX_CONFIG_INVALID,
          dev.cutover.steps.pgswitch.SwitchErrors.DEADLINE_PASSED,
          dev.cutover.steps.pgswitch.SwitchErrors.VERIFY_MISMATCH,
          dev.cutover.steps.pgswitch.SwitchErrors.BACK_UNAVAILABLE);

  private CutoverErrors() {}
}
