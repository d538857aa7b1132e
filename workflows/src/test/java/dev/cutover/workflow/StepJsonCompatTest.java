package dev.cutover.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import dev.cutover.steps.rsync.RsyncSpec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverterException;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Histories recorded before steps had specs hold the plan as flat JSON with every kind's fields on
 * every step. Steps must still read from them (workflow input and continue-as-new input), and what
 * the new code writes must read back the same.
 */
class StepJsonCompatTest {
  private static final io.temporal.common.converter.DataConverter CONVERTER =
      DefaultDataConverter.STANDARD_INSTANCE;

  /** A migration's histories: a fleet's own input is a FleetInput, read by the fleet's tests. */
  static Stream<Path> histories() throws Exception {
    return ReplayTest.histories()
        .filter(
            p -> {
              try {
                return !WorkflowExecutionHistory.fromJson(Files.readString(p))
                    .getEvents()
                    .get(0)
                    .getWorkflowExecutionStartedEventAttributes()
                    .getWorkflowType()
                    .getName()
                    .equals(dev.cutover.fleet.FleetNames.WORKFLOW_TYPE);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
  }

  @ParameterizedTest
  @MethodSource("histories")
  void everyInputInARecordedHistoryReadsAndRoundTrips(Path history) throws Exception {
    // given the inputs a released version wrote: the start and every continue-as-new
    WorkflowExecutionHistory h = WorkflowExecutionHistory.fromJson(Files.readString(history));
    List<Payloads> inputs = new ArrayList<>();
    for (HistoryEvent e : h.getEvents()) {
      if (e.hasWorkflowExecutionStartedEventAttributes()) {
        inputs.add(e.getWorkflowExecutionStartedEventAttributes().getInput());
      }
      if (e.hasWorkflowExecutionContinuedAsNewEventAttributes()) {
        inputs.add(e.getWorkflowExecutionContinuedAsNewEventAttributes().getInput());
      }
    }
    assertThat(inputs).isNotEmpty();
    for (Payloads payloads : inputs) {
      // when they are read, written again and read back
      MigrationInput old =
          CONVERTER.fromPayloads(
              0, Optional.of(payloads), MigrationInput.class, MigrationInput.class);
      Payload written = CONVERTER.toPayload(old).orElseThrow();
      MigrationInput again =
          CONVERTER.fromPayload(written, MigrationInput.class, MigrationInput.class);
      // then nothing was lost or changed, and every step has its kind's spec
      assertThat(again).isEqualTo(old);
      old.plan()
          .phases()
          .present()
          .forEach(
              p ->
                  old.plan()
                      .phases()
                      .steps(p)
                      .forEach(
                          s -> {
                            assertThat(s.spec()).as("spec of %s", s.name()).isNotNull();
                            if (s.undo() != null) {
                              assertThat(s.undo().spec()).isNotNull();
                            }
                          }));
    }
  }

  @Test
  void aStepIsWrittenFlatWithTheKindAsHistoriesHoldIt() throws Exception {
    // given an rsync step as the engine holds it
    Step step =
        new Step(
            "copy",
            StepKind.RSYNC,
            null,
            null,
            null,
            null,
            null,
            null,
            new RsyncSpec(
                null,
                "old",
                "new",
                "/srv",
                "/srv",
                List.of("cache/"),
                null,
                null,
                500,
                null,
                null));
    // when it is written as Temporal writes payloads
    JsonNode json =
        new ObjectMapper()
            .readTree(
                CONVERTER.toPayload(step).orElseThrow().getData().toString(StandardCharsets.UTF_8));
    // then the kind keeps its enum name and the spec's fields sit beside the envelope's
    assertThat(json.path("kind").asText()).isEqualTo("RSYNC");
    assertThat(json.path("bwlimit").asInt()).isEqualTo(500);
    assertThat(json.path("excludes").get(0).asText()).isEqualTo("cache/");
    assertThat(json.has("spec")).isFalse();
    assertThat(json.has("command")).as("no field of another kind").isFalse();
    assertThat(
            CONVERTER.fromPayload(CONVERTER.toPayload(step).orElseThrow(), Step.class, Step.class))
        .isEqualTo(step);
  }

  @Test
  void aSetFieldOfAnotherKindIsRefusedNotDropped() {
    // given old-shaped JSON: another kind's fields null or empty are fine, a set one is not
    String ok =
        "{\"name\":\"a\",\"kind\":\"RUN\",\"host\":\"old\",\"command\":\"true\",\"bwlimit\":null,\"excludes\":[],\"headers\":{}}";
    String bad =
        "{\"name\":\"a\",\"kind\":\"RUN\",\"host\":\"old\",\"command\":\"true\",\"bwlimit\":10}";
    // when they are read, then
    assertThat(read(ok).spec()).isInstanceOf(dev.cutover.steps.run.RunSpec.class);
    assertThatThrownBy(() -> read(bad))
        .isInstanceOf(DataConverterException.class)
        .hasStackTraceContaining("field 'bwlimit' does not apply to a run step");
  }

  @Test
  void aBuiltInUndoWrittenAsTheOldUnionReadsIntoItsKindsRecord() {
    // given an undo entry as earlier versions wrote it: one field per kind, all but its own null
    String old =
        "{\"phase\":\"downtime\",\"forStep\":\"stop\",\"undo\":null,\"builtIn\":{\"kind\":\"SERVICE\","
            + "\"service\":{\"unit\":\"app.service\",\"action\":\"STOP\",\"previousActiveState\":\"active\",\"activeState\":\"inactive\","
            + "\"previousEnabledState\":null,\"enabledState\":null,\"changed\":true,\"durationMillis\":12},"
            + "\"cron\":null,\"put\":null,\"maintenance\":null,\"pgReplication\":null,\"dns\":null,\"proxy\":null}}";
    // when it is read, written and read again
    UndoEntry entry = CONVERTER.fromPayload(payload(old), UndoEntry.class, UndoEntry.class);
    UndoEntry again =
        CONVERTER.fromPayload(
            CONVERTER.toPayload(entry).orElseThrow(), UndoEntry.class, UndoEntry.class);
    // then it is the service step's undo with what the step did, and survives the round trip
    assertThat(entry.builtIn()).isInstanceOf(dev.cutover.steps.service.ServiceUndo.class);
    assertThat(((dev.cutover.steps.service.ServiceUndo) entry.builtIn()).service().unit())
        .isEqualTo("app.service");
    assertThat(again).isEqualTo(entry);
  }

  @Test
  void aBuiltInUndoWithAnotherKindsResultIsRefused() {
    String wrong = "{\"kind\":\"SERVICE\",\"service\":null,\"cron\":{\"changed\":true}}";
    assertThatThrownBy(
            () ->
                CONVERTER.fromPayload(
                    payload(wrong),
                    dev.cutover.steps.BuiltInUndo.class,
                    dev.cutover.steps.BuiltInUndo.class))
        .hasStackTraceContaining("field 'cron' does not belong to the undo of a service step");
  }

  private static Payload payload(String json) {
    return Payload.newBuilder()
        .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
        .setData(com.google.protobuf.ByteString.copyFromUtf8(json))
        .build();
  }

  private static Step read(String json) {
    Payload payload =
        Payload.newBuilder()
            .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
            .setData(com.google.protobuf.ByteString.copyFromUtf8(json))
            .build();
    return CONVERTER.fromPayload(payload, Step.class, Step.class);
  }
}
