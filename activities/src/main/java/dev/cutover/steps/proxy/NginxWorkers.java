package dev.cutover.steps.proxy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The nginx processes running on a host, as {@code /proc} shows them: each master and the workers
 * that take new connections. A worker told to stop (after a reload) retitles itself {@code nginx:
 * worker process is shutting down} as it closes its listening sockets, so it no longer counts.
 *
 * <p>Why: {@code nginx -s reload} (and systemd's reload, which runs it) only signals the master and
 * returns; the master then parses the configuration, starts new workers and tells the old ones to
 * stop. Until then the next request is still served with the old configuration (the maintenance
 * page). A reload has taken effect once some master takes connections only with workers that did
 * not exist before it; a master the reload did not touch keeps its workers and never counts.
 *
 * @param workers for each master pid, the pids of its workers that take connections
 */
record NginxWorkers(Map<Long, Set<Long>> workers) {
  /**
   * Prints one line per nginx process: {@code M pid}, {@code W pid ppid} for a worker taking
   * connections, {@code Q pid ppid} for one shutting down. Only builtins per process but for the
   * few named nginx, so a busy host is scanned quickly; POSIX sh, Linux's {@code /proc}.
   */
  static final String SCRIPT =
      """
      for p in /proc/[0-9]*; do
        { read -r s < "$p/stat"; } 2>/dev/null || continue
        c=${s#*\\(}; c=${c%%\\)*}
        [ "$c" = nginx ] || continue
        r=${s##*") "}; set -- $r
        t=$(tr '\\000' ' ' < "$p/cmdline" 2>/dev/null)
        case $t in
          'nginx: master process'*) echo "M ${p#/proc/}" ;;
          *'shutting down'*) echo "Q ${p#/proc/} $2" ;;
          'nginx: worker process'*) echo "W ${p#/proc/} $2" ;;
        esac
      done
      echo end
      """;

  /** The processes in the script's output; {@code null} when the output is not the script's. */
  static NginxWorkers parse(String out) {
    if (!out.lines().anyMatch("end"::equals)) {
      return null;
    }
    Map<Long, Set<Long>> workers = new HashMap<>();
    for (String line : out.split("\n")) {
      String[] f = line.strip().split(" ");
      try {
        if (f.length == 2 && f[0].equals("M")) {
          workers.computeIfAbsent(Long.parseLong(f[1]), m -> new HashSet<>());
        } else if (f.length == 3 && f[0].equals("W")) {
          workers
              .computeIfAbsent(Long.parseLong(f[2]), m -> new HashSet<>())
              .add(Long.parseLong(f[1]));
        }
      } catch (NumberFormatException notOurs) {
        // a line that is not a process: skip it
      }
    }
    return new NginxWorkers(Map.copyOf(workers));
  }

  /** Whether any master has workers: else there is nothing to watch a reload by. */
  boolean anyWorkers() {
    return workers.values().stream().anyMatch(w -> !w.isEmpty());
  }

  /**
   * Whether a reload since {@code before} has taken effect: some master takes connections, and only
   * with workers that did not exist then.
   */
  boolean reloadedSince(NginxWorkers before) {
    Set<Long> old = new HashSet<>();
    before.workers.values().forEach(old::addAll);
    return workers.values().stream()
        .anyMatch(w -> !w.isEmpty() && w.stream().noneMatch(old::contains));
  }
}
