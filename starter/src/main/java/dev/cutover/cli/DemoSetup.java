package dev.cutover.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A small real setup for the demo: an "old host" directory with a file tree and a running service
 * process that keeps writing data, an empty "new host", and a plan that moves one to the other.
 */
final class DemoSetup {
  static final int FILES = 300;

  final Path root;

  DemoSetup(Path root) {
    this.root = root.toAbsolutePath();
  }

  Path plan() {
    return root.resolve("plan.yaml");
  }

  void create() throws IOException, InterruptedException {
    Path srv = root.resolve("old/srv/app");
    for (int i = 0; i < FILES; i++) {
      Path f = srv.resolve("assets/" + (i % 10) + "/file-" + i + ".txt");
      Files.createDirectories(f.getParent());
      Files.writeString(f, ("asset " + i + "\n").repeat(1 + i % 50));
    }
    Files.createDirectories(srv.resolve("data"));
    Files.createDirectories(root.resolve("new"));
    Files.createDirectories(root.resolve("dns"));
    Files.writeString(root.resolve("dns/app.example.test"), "A old\nTTL 3600\n");
    // The service: appends a visit every 200 ms while it runs, like an app writing to its data dir.
    Files.writeString(
        root.resolve("service.sh"),
        """
        #!/bin/sh
        # usage: service.sh HOSTDIR — runs until killed, appending to HOSTDIR/srv/app/data/visits.log
        cd "$1" || exit 1
        echo $$ > service.pid
        n=0
        while :; do n=$((n+1)); echo "visit $n $(date +%s)" >> srv/app/data/visits.log; sleep 0.2; done
        """);
    root.resolve("service.sh").toFile().setExecutable(true);
    Files.writeString(plan(), planText(), StandardCharsets.UTF_8);
    startOldService();
  }

  private void startOldService() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("/bin/sh", "-c", startService("old"))
            .directory(root.toFile())
            .redirectErrorStream(true)
            .start();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** Stops whatever service processes the demo left running (the new host's, after go-live). */
  void stopServices() {
    for (String host : new String[] {"old", "new"}) {
      try {
        new ProcessBuilder("/bin/sh", "-c", stopService(host))
            .directory(root.toFile())
            .start()
            .waitFor(10, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException ignored) {
        // best effort: the demo directory says where the pid files are
      }
    }
  }

  private String q(String relative) {
    return Shell.quote(root.resolve(relative).toString());
  }

  private String startService(String host) {
    return "nohup "
        + q("service.sh")
        + " "
        + q(host)
        + " >/dev/null 2>&1 & "
        + "for i in 1 2 3 4 5 6 7 8 9 10; do [ -s "
        + q(host + "/service.pid")
        + " ] && break; sleep 0.2; done";
  }

  private String stopService(String host) {
    String pid = q(host + "/service.pid");
    return "[ -f "
        + pid
        + " ] || exit 0; p=$(cat "
        + pid
        + "); kill $p 2>/dev/null; "
        + "for i in $(seq 1 50); do kill -0 $p 2>/dev/null || break; sleep 0.1; done; rm -f "
        + pid;
  }

  String planText() {
    String oldSrv = q("old/srv");
    String newSrv = q("new/srv");
    String dns = q("dns/app.example.test");
    return """
        # Demo plan written by `cutover demo`: a directory tree and a service process stand for the
        # old and new hosts on this machine; the file %s stands for the DNS record.
        migration: demo-move
        description: Move the demo app (files and its running service) from old/ to new/.
        hosts:
          old: {transport: local, description: "the old host (%s)"}
          new: {transport: local, description: "the new host (%s)"}
        window:
          downtimeBudget: 2m
          onBudgetExceeded: ask
        gates:
          - name: go-downtime
            before: downtime
            description: Presync rounds are done; the downtime starts when you approve.
          - name: go-live
            before: switch
            description: The final sync is verified and the new service runs; approve to move traffic.
        phases:
          prepare:
            steps:
              - name: check-old-service
                kind: run
                host: old
                command: kill -0 "$(cat %s)"
              - name: create-new-root
                kind: run
                host: new
                command: mkdir -p %s
                undo: {kind: run, host: new, command: rm -rf %s}
          lower-ttl:
            oldTtl: 3s
            steps:
              - name: lower-ttl
                kind: run
                host: old
                command: sed -i 's/^TTL .*/TTL 30/' %s
                undo: {kind: run, host: old, command: "sed -i 's/^TTL .*/TTL 3600/' %s"}
          presync:
            every: 2s
            rounds: 2
            steps:
              - name: presync-files
                kind: run
                host: new
                command: cp -a %s/. %s/ && du -s %s
          downtime:
            steps:
              - name: maintenance-on
                kind: run
                host: old
                command: touch %s
                undo: {kind: run, host: old, command: rm -f %s}
              - name: stop-old-service
                kind: run
                host: old
                command: %s
                undo: {kind: run, host: old, command: %s}
              - name: final-sync
                kind: run
                host: new
                command: cp -a %s/. %s/
              - name: verify-copy
                kind: run
                host: new
                command: diff -r %s %s && wc -l < %s
              - name: start-new-service
                kind: run
                host: new
                command: %s
                undo: {kind: run, host: new, command: %s}
          switch:
            steps:
              - name: point-dns-to-new
                kind: run
                host: old
                command: sed -i 's/^A .*/A new/' %s
                pointOfNoReturn: true
              - name: maintenance-off
                kind: run
                host: old
                command: rm -f %s
          verify:
            steps:
              - name: new-service-writes
                kind: run
                host: new
                command: a=$(wc -l < %s); sleep 1; b=$(wc -l < %s); test "$b" -gt "$a"
                retry: {maxAttempts: 5, initialInterval: 1s}
          monitor:
            every: 2s
            for: 6s
            steps:
              - name: new-service-alive
                kind: run
                host: new
                command: kill -0 "$(cat %s)"
          finish:
            steps:
              - name: restore-ttl
                kind: run
                host: old
                command: sed -i 's/^TTL .*/TTL 3600/' %s
              - name: retire-old
                kind: run
                host: old
                command: touch %s
        """
        .formatted(
            dns,
            q("old"),
            q("new"),
            q("old/service.pid"),
            newSrv,
            newSrv,
            dns,
            dns,
            oldSrv,
            newSrv,
            newSrv,
            q("old/MAINTENANCE"),
            q("old/MAINTENANCE"),
            Shell.yamlScalar(stopService("old")),
            Shell.yamlScalar(startService("old")),
            oldSrv,
            newSrv,
            oldSrv,
            newSrv,
            q("new/srv/app/data/visits.log"),
            Shell.yamlScalar(startService("new")),
            Shell.yamlScalar(stopService("new")),
            dns,
            q("old/MAINTENANCE"),
            q("new/srv/app/data/visits.log"),
            q("new/srv/app/data/visits.log"),
            q("new/service.pid"),
            dns,
            q("old/RETIRED"));
  }
}
