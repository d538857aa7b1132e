package dev.cutover.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One presync round: its executions, and the rsync figures their results carry. */
final class RoundTimeline {
  final int round;
  final List<Execution> executions = new ArrayList<>();

  RoundTimeline(int round) {
    this.round = round;
  }

  void add(Execution exec) {
    executions.add(exec);
  }

  PresyncRoundReport report() {
    Instant start =
        executions.stream().map(x -> x.scheduledAt).min(Instant::compareTo).orElse(null);
    Instant end =
        executions.stream().allMatch(x -> x.endedAt != null)
            ? executions.stream().map(x -> x.endedAt).max(Instant::compareTo).orElse(null)
            : null;
    List<JsonNode> syncs =
        executions.stream().filter(x -> x.rsync != null).map(x -> x.rsync).toList();
    if (syncs.isEmpty()) {
      return new PresyncRoundReport(round, start, end, null, null, null, null);
    }
    return new PresyncRoundReport(
        round,
        start,
        end,
        syncs.stream().mapToLong(n -> n.path("changedFiles").asLong()).sum(),
        syncs.stream().mapToLong(n -> n.path("filesTransferred").asLong()).sum(),
        syncs.stream().mapToLong(n -> n.path("bytesTransferred").asLong()).sum(),
        syncs.stream().mapToLong(n -> n.path("durationMillis").asLong()).sum());
  }
}
