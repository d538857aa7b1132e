package dev.cutover.cli.report;

import dev.cutover.fleet.Fleet;
import dev.cutover.fleet.FleetInput;
import dev.cutover.fleet.FleetNames;
import dev.cutover.fleet.FleetResult;
import dev.cutover.fleet.FleetService;
import dev.cutover.fleet.FleetWave;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link FleetReport}: the fleet's services and waves from the fleet's own input (so an
 * ended fleet reports without a worker), each service's window from the member's own history by the
 * migration report's code, and the waves' windows from those.
 */
public final class FleetReportBuilder {
  private FleetReportBuilder() {}

  /** How a member's history is read; the server in the CLI, a map in tests. */
  public interface MemberHistories {
    /** Every run of the member, first run first; empty when the member was never started. */
    List<History> chain(String workflowId);
  }

  /** The fleet's report from the fleet's runs (first run first) and its members' histories. */
  public static FleetReport build(
      String workflowId, List<History> fleetRuns, MemberHistories members) {
    if (fleetRuns.isEmpty()) {
      throw new IllegalArgumentException("no history to report on");
    }
    HistoryEvent first = requireFleet(fleetRuns.get(0));
    Fleet fleet = input(first);
    List<String> notes = new ArrayList<>();
    Map<String, MigrationReport> reports = new LinkedHashMap<>();
    for (FleetService s : fleet.services()) {
      List<History> runs = members.chain(s.workflowId());
      if (runs.isEmpty()) {
        continue;
      }
      String parent = RunChain.started(runs.get(0)).getParentWorkflowExecution().getWorkflowId();
      if (!workflowId.equals(parent)) {
        notes.add(
            "service "
                + s.name()
                + ": "
                + s.workflowId()
                + " was not started by this fleet"
                + (parent.isEmpty() ? "" : " (its parent is " + TerminalText.line(parent) + ")")
                + "; its history is left out");
        continue;
      }
      try {
        reports.put(s.name(), ReportBuilder.build(s.workflowId(), runs, null));
      } catch (NotAMigrationException e) {
        notes.add("service " + s.name() + ": " + e.getMessage());
      }
    }
    return of(workflowId, fleet, outcome(fleetRuns.get(fleetRuns.size() - 1)), reports, notes);
  }

  /** A member history reader over the server: a member never started is an empty chain. */
  public static MemberHistories fromServer(ServerHistories server) {
    return workflowId -> {
      try {
        return server.chain(workflowId, null);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
          return List.of();
        }
        throw e;
      }
    };
  }

  /**
   * The report from the fleet and its members' reports by service name; a service without one was
   * never started.
   */
  public static FleetReport of(
      String workflowId,
      Fleet fleet,
      String outcome,
      Map<String, MigrationReport> members,
      List<String> notes) {
    List<FleetServiceWindow> services = new ArrayList<>();
    for (FleetService s : fleet.services()) {
      services.add(window(s, members.get(s.name())));
    }
    List<FleetWaveWindow> waves = new ArrayList<>();
    for (FleetWave w : fleet.waves()) {
      waves.add(
          span(
              w.name(),
              w.services(),
              services.stream().filter(s -> w.services().contains(s.name())).toList()));
    }
    FleetWaveWindow all =
        span(fleet.fleet(), fleet.services().stream().map(FleetService::name).toList(), services);
    return new FleetReport(
        fleet.fleet(),
        workflowId,
        fleet.description(),
        outcome,
        waves,
        services,
        all.window(),
        all.sumOfServices(),
        all.longest(),
        all.longestService(),
        List.copyOf(notes));
  }

  private static FleetServiceWindow window(FleetService s, MigrationReport r) {
    if (r == null) {
      return new FleetServiceWindow(
          s.name(), s.wave(), s.workflowId(), "not started", null, null, null, "never started");
    }
    DowntimeReport d = r.downtime();
    if (d == null) {
      return new FleetServiceWindow(
          s.name(),
          s.wave(),
          s.workflowId(),
          r.outcome(),
          null,
          null,
          null,
          "running".equals(r.outcome()) ? "not down yet" : "no downtime");
    }
    Duration measured =
        d.measured() != null
            ? d.measured()
            : d.endedAt() == null ? null : Duration.between(d.startedAt(), d.endedAt());
    return new FleetServiceWindow(
        s.name(),
        s.wave(),
        s.workflowId(),
        r.outcome(),
        d.startedAt(),
        d.endedAt(),
        measured,
        d.endedAt() == null ? "still down" : "");
  }

  /** First start to last end of the services that went down; open while one is still down. */
  private static FleetWaveWindow span(
      String name, List<String> names, List<FleetServiceWindow> services) {
    Instant start = null;
    Instant end = null;
    boolean open = false;
    Duration sum = Duration.ZERO;
    Duration longest = null;
    String longestService = null;
    for (FleetServiceWindow s : services) {
      if (s.startedAt() == null) {
        continue;
      }
      start = start == null || s.startedAt().isBefore(start) ? s.startedAt() : start;
      if (s.endedAt() == null) {
        open = true;
      } else {
        end = end == null || s.endedAt().isAfter(end) ? s.endedAt() : end;
      }
      if (s.downtime() != null) {
        sum = sum.plus(s.downtime());
        if (longest == null || s.downtime().compareTo(longest) > 0) {
          longest = s.downtime();
          longestService = s.name();
        }
      }
    }
    if (open) {
      end = null;
    }
    Duration window = start == null || end == null ? null : Duration.between(start, end);
    return new FleetWaveWindow(
        name, names, start, end, window, start == null ? null : sum, longest, longestService);
  }

  /** The workflow type a fleet is started as, as its interface names it. */
  static final String FLEET_TYPE = FleetNames.WORKFLOW_TYPE;

  private static HistoryEvent requireFleet(History run) {
    HistoryEvent first = run.getEventsCount() == 0 ? null : run.getEvents(0);
    if (first == null || first.getEventType() != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
      throw new NotAMigrationException(
          "the history does not begin with the workflow's start event: export the whole history");
    }
    String type = first.getWorkflowExecutionStartedEventAttributes().getWorkflowType().getName();
    if (!type.equals(FLEET_TYPE)) {
      throw new NotAMigrationException(
          "the history is of a workflow of type '"
              + TerminalText.line(type)
              + "', not a cutover fleet (type '"
              + FLEET_TYPE
              + "')");
    }
    return first;
  }

  private static Fleet input(HistoryEvent started) {
    try {
      FleetInput input =
          DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
              0,
              Optional.of(started.getWorkflowExecutionStartedEventAttributes().getInput()),
              FleetInput.class,
              FleetInput.class);
      if (input == null || input.fleet() == null) {
        throw new NotAMigrationException("the fleet's start event carries no fleet");
      }
      return input.fleet();
    } catch (DataConverterException e) {
      throw new NotAMigrationException(
          "the fleet's input cannot be read: " + TerminalText.line(e.getMessage()));
    }
  }

  /** How the fleet stands by its last event: its result's state once it ended, else running. */
  static String outcome(History lastRun) {
    HistoryEvent last =
        lastRun.getEventsCount() == 0 ? null : lastRun.getEvents(lastRun.getEventsCount() - 1);
    if (last == null) {
      return "running";
    }
    return switch (last.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
        try {
          FleetResult result =
              DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                  0,
                  Optional.of(last.getWorkflowExecutionCompletedEventAttributes().getResult()),
                  FleetResult.class,
                  FleetResult.class);
          yield result == null || result.state() == null ? "completed" : result.state();
        } catch (DataConverterException e) {
          yield "completed";
        }
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
        // A fleet that ends other than completed may carry its result as the failure's details.
        var failure = last.getWorkflowExecutionFailedEventAttributes().getFailure();
        try {
          FleetResult result =
              failure.hasApplicationFailureInfo()
                      && failure.getApplicationFailureInfo().hasDetails()
                  ? DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                      0,
                      Optional.of(failure.getApplicationFailureInfo().getDetails()),
                      FleetResult.class,
                      FleetResult.class)
                  : null;
          yield result == null || result.state() == null ? "failed" : result.state();
        } catch (DataConverterException e) {
          yield "failed";
        }
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> "terminated";
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> "timed out";
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> "canceled";
      default -> "running";
    };
  }
}
