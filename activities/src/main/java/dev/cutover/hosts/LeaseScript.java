package dev.cutover.hosts;

import java.time.Duration;

/**
 * The part of the script wrapper ({@link WrappedScript}) that lets a retry stop what an earlier
 * attempt of the same activity left running on the host, because its worker died (SIGKILL, OOM, a
 * lost machine) and so nobody killed the script's process group.
 *
 * <p>Each script that runs for an {@link ActivityAttempt} leaves a lease on the host while it runs:
 * a file {@code ROOT/KEY.ATTEMPT.PGID} holding the start time of the group's leader (field 22 of
 * {@code /proc/PGID/stat}) and the boot id, so that a pid the kernel has handed to another process
 * since, or one from before a reboot, is never taken for the script. The wrapper that started the
 * script removes the file when the script ends, however it ends; only a wrapper that dies with the
 * host leaves one behind (and then the boot id rules it out).
 *
 * <p>Before the script of attempt N starts, every lease of the same key with an attempt below N
 * whose leader still has its start time is stopped: TERM to the group, up to 10 s to finish, then
 * KILL, until no process of the group is left; a marker line on stderr says what was stopped.
 * Leases of attempt N itself (one activity may run several scripts at once) and of other keys are
 * never touched, but any lease whose process is gone is removed, so files of activities that never
 * ran again do not pile up. A group that survives KILL stops the wrapper with a marker: the attempt
 * fails (retryably) rather than run its script beside the old one.
 *
 * <p>Where leases live, {@code ROOT}: {@code ~/.cutover/run} of the user the script runs as, when
 * that home directory (followed through a symlink) is the user's own; else, for root (sudo that
 * keeps the login user's HOME), {@code /run/cutover/leases}, a tmpfs that a reboot empties along
 * with the processes. Never in a directory another user can write: whoever writes a lease chooses
 * which process group the next attempt kills. A host where neither works (no home of one's own, no
 * {@code /proc}, a read-only home) runs the script without a lease and says so on stderr; the step
 * does not fail for it.
 *
 * <p>Everything is POSIX sh. The names the wrapper uses all start with {@code __cl_} and it sets
 * them before the command's own variables are exported, so those cannot change where leases live (a
 * plan's HOME) or which tools the wrapper finds (a plan's PATH).
 */
final class LeaseScript {
  static final String STOPPED_MARKER = WrappedScript.MARKER + "stopped ";
  static final String STOP_FAILED_MARKER = WrappedScript.MARKER + "stop-failed ";
  static final String WARN_MARKER = WrappedScript.MARKER + "lease-warn ";

  /**
   * The longest stopping what earlier attempts left can take before the script starts (10 s for
   * TERM, 5 s after KILL, and the scans), so a worker waiting for the script's group waits that
   * long too.
   */
  static final Duration LONGEST_STOP = Duration.ofSeconds(20);

  private static final String PREPARE =
      """
      __cl_key=@KEY@
      __cl_try=@TRY@
      __cl_root=@ROOT@
      __cl_path=$PATH
      __cl_ok=
      __cl_stop=
      __cl_warn() { printf '\\036cutover-lease-warn %s\\n' "$1" >&2; }
      __cl_num() { case $1 in ''|*[!0-9]*) return 1 ;; esac; }
      __cl_start() {
        { read -r __cl_s < "/proc/$1/stat"; } 2>/dev/null || return 1
        set -- ${__cl_s##*") "}
        [ $# -ge 20 ] && printf '%s\\n' "${20}"
      }
      __cl_live() {
        kill -s 0 -- "-$1" 2>/dev/null || return 1
        __cl_q=$1
        for __cl_p in /proc/[0-9]*; do
          { read -r __cl_s < "$__cl_p/stat"; } 2>/dev/null || continue
          set -- ${__cl_s##*") "}
          [ "$3" = "$__cl_q" ] && [ "$1" != Z ] && return 0
        done
        return 1
      }
      __cl_what() {
        __cl_q=$1; __cl_w=
        for __cl_p in /proc/[0-9]*; do
          { read -r __cl_s < "$__cl_p/stat"; } 2>/dev/null || continue
          set -- ${__cl_s##*") "}
          [ "$3" = "$__cl_q" ] && [ "$1" != Z ] || continue
          __cl_c=$({ tr '\\000\\012\\015' '   ' < "$__cl_p/cmdline"; } 2>/dev/null | cut -c1-1000)
          case $__cl_c in ''|*cutover-pgid*) continue ;; esac
          __cl_w="${__cl_w:+$__cl_w; }$__cl_c"
        done
        printf '%s' "$__cl_w" | cut -c1-2000
      }
      __cl_any() { for __cl_x in $__cl_stop; do __cl_live "$__cl_x" && return 0; done; return 1; }
      __cl_nap() { if sleep 0.1 2>/dev/null; then __cl_t=$((__cl_t + 1)); else sleep 1; __cl_t=$((__cl_t + 10)); fi; }
      __cl_owner() { [ -n "$1" ] || return 1; set -- $(ls -ldn -- "$1/." 2>/dev/null); [ $# -ge 3 ] && printf '%s' "$3"; }
      if [ -z "$__cl_root" ]; then
        __cl_uid=$(id -u 2>/dev/null)
        if [ -n "$__cl_uid" ] && [ "$(__cl_owner "${HOME:-}")" = "$__cl_uid" ]; then __cl_root=$HOME/.cutover/run
        elif [ "$__cl_uid" = 0 ]; then __cl_root=/run/cutover/leases
        fi
      fi
      __cl_boot=
      { read -r __cl_boot < /proc/sys/kernel/random/boot_id; } 2>/dev/null
      [ -n "$__cl_boot" ] || __cl_boot=-
      if [ -z "$__cl_root" ]; then __cl_warn "HOME ${HOME:-(unset)} is not this user's own directory"
      elif [ ! -r /proc/self/stat ]; then __cl_warn "the host has no /proc"
      elif { [ -d "$__cl_root" ] || (umask 077 && mkdir -p -- "$__cl_root") 2>/dev/null; } && [ -w "$__cl_root" ]; then __cl_ok=1
      else __cl_warn "cannot write $__cl_root"
      fi
      if [ -n "$__cl_ok" ]; then
        for __cl_e in "$__cl_root"/*.*.*; do
          __cl_n=${__cl_e##*/}
          __cl_k=${__cl_n%%.*}; __cl_r=${__cl_n#*.}
          __cl_a=${__cl_r%%.*}; __cl_g=${__cl_r#*.}
          __cl_num "$__cl_a" && __cl_num "$__cl_g" && [ "$__cl_g" -gt 1 ] || continue
          { read -r __cl_t0 __cl_b < "$__cl_e"; } 2>/dev/null && __cl_num "$__cl_t0" || continue
          if [ "$__cl_b" != "$__cl_boot" ] || [ "$(__cl_start "$__cl_g")" != "$__cl_t0" ]; then
            rm -f -- "$__cl_e"
          elif [ "$__cl_k" = "$__cl_key" ] && [ "$__cl_a" -lt "$__cl_try" ]; then
            __cl_w=$(__cl_what "$__cl_g")
            eval "__cl_w$__cl_g=\\$__cl_w; __cl_a$__cl_g=\\$__cl_a"
            kill -s TERM -- "-$__cl_g" 2>/dev/null
            __cl_stop="$__cl_stop $__cl_g"
          fi
        done
      fi
      if [ -n "$__cl_stop" ]; then
        __cl_t=0
        while [ "$__cl_t" -lt 100 ] && __cl_any; do __cl_nap; done
        if __cl_any; then
          for __cl_g in $__cl_stop; do kill -s KILL -- "-$__cl_g" 2>/dev/null; done
          __cl_t=0
          while [ "$__cl_t" -lt 50 ] && __cl_any; do __cl_nap; done
        fi
        __cl_failed=
        for __cl_g in $__cl_stop; do
          eval "__cl_w=\\$__cl_w$__cl_g; __cl_a=\\$__cl_a$__cl_g"
          if __cl_live "$__cl_g"; then
            printf '\\036cutover-stop-failed %s %s %s\\n' "$__cl_a" "$__cl_g" "$__cl_w" >&2
            __cl_failed=1
          else
            rm -f -- "$__cl_root/$__cl_key.$__cl_a.$__cl_g"
            printf '\\036cutover-stopped %s %s %s\\n' "$__cl_a" "$__cl_g" "$__cl_w" >&2
          fi
        done
        [ -z "$__cl_failed" ] || exit 1
      fi
      """;

  /** Only shell builtins: the command's PATH is in effect by now. */
  private static final String RECORD =
      """
      if [ -n "$__cl_ok" ]; then
        __cl_pid=$!
        __cl_t0=$(__cl_start "$__cl_pid") && ( umask 077; printf '%s %s\\n' "$__cl_t0" "$__cl_boot" > "$__cl_root/$__cl_key.$__cl_try.$__cl_pid" ) 2>/dev/null
      fi
      """;

  private static final String RELEASE =
      """
      __cl_rc=$?
      if [ -n "$__cl_ok" ] && [ -n "${__cl_pid:-}" ]; then PATH=$__cl_path; rm -f -- "$__cl_root/$__cl_key.$__cl_try.$__cl_pid"; fi
      exit "$__cl_rc"
      """;

  private LeaseScript() {}

  /**
   * Runs first in the wrapper: finds the lease directory and stops what earlier attempts left.
   *
   * @param root the lease directory, or {@code null} for the rule above (tests pass their own)
   */
  static String prepare(ActivityAttempt attempt, String root) {
    return PREPARE
        .replace("@KEY@", attempt.key())
        .replace("@TRY@", Integer.toString(attempt.attempt()))
        .replace("@ROOT@", root == null ? "" : Sh.quote(root));
  }

  /** Right after the script was started in the background ({@code $!}): writes its lease. */
  static String record() {
    return RECORD;
  }

  /**
   * Right after {@code wait} for the script: removes its lease and exits with the script's status.
   */
  static String release() {
    return RELEASE;
  }
}
