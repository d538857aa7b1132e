package dev.cutover.cli.report;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.History;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads a migration's history from the server: the latest run, then back along {@code
 * continuedExecutionRunId} to the first, so a chain of continued runs reads as one.
 */
public final class ServerHistories implements ReportBuilder.ChildHistories {
  /**
   * A migration continues as new every few thousand events; this bounds a runaway loop, not a real
   * chain.
   */
  private static final int MAX_RUNS = 10_000;

  private final WorkflowServiceStubs service;
  private final String namespace;

  public ServerHistories(WorkflowServiceStubs service, String namespace) {
    this.service = service;
    this.namespace = namespace;
  }

  /** Every run of the chain that ends in {@code runId} (empty: the latest run), first run first. */
  public List<History> chain(String workflowId, String runId) {
    List<History> runs = new ArrayList<>();
    String current = runId == null ? "" : runId;
    while (runs.size() < MAX_RUNS) {
      History history = run(workflowId, current);
      runs.add(history);
      String previous = RunChain.started(history).getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        break;
      }
      current = previous;
    }
    Collections.reverse(runs);
    return runs;
  }

  History run(String workflowId, String runId) {
    History.Builder all = History.newBuilder();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page =
          service
              .blockingStub()
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(
                          WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                      .setNextPageToken(token)
                      .build());
      all.addAllEvents(page.getHistory().getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return all.build();
  }

  @Override
  public List<History> fetch(String workflowId, String runId) {
    return chain(workflowId, runId);
  }
}
