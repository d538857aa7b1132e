package dev.cutover.workflow;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records the history {@link PreflightWhenMadeReplayTest} replays: a run of {@link #PLAN} by the
 * code before preflight left what earlier steps make for later. It was recorded from main at
 * f509b02 (this class and HostStepsFake copied onto that tree): {@code ./mvnw -pl workflows test
 * -Dtest=RecordPreflightWhenMadeHistory
 * -Dcutover.recordPreflight=src/test/resources/preflight/when-made-before-the-change.json}
 */
@EnabledIfSystemProperty(named = "cutover.recordPreflight", matches = ".+")
class RecordPreflightWhenMadeHistory extends WorkflowTestSupport {
  final HostStepsFake hosts = new HostStepsFake();

  @Override
  Object[] moreActivities() {
    return new Object[] {hosts};
  }

  /**
   * A copy from a tree an earlier copy stages: before the change, preflight checked it at the
   * start.
   */
  static final String PLAN =
      """
      migration: recorded-when-made
      hosts:
        old: {transport: ssh, address: 10.0.0.2}
        new: {transport: ssh, address: 10.0.0.3}
      phases:
        prepare:
          steps:
            - {name: stage, kind: rsync, from: old, to: new, source: /srv/app, target: /srv/staging}
        downtime:
          steps:
            - {name: keep-uploads, kind: rsync, from: new, to: old, source: /srv/staging/uploads, target: /srv/backup}
      """;

  @Test
  void record() throws Exception {
    MigrationWorkflow workflow = start(Plans.parse(PLAN));
    result();
    Path file = Path.of(System.getProperty("cutover.recordPreflight"));
    Files.createDirectories(file.getParent());
    Files.writeString(file, client.fetchHistory(ID).toJson(true));
  }
}
