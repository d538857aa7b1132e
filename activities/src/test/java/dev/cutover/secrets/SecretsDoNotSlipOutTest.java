package dev.cutover.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutover.workflow.MigrationState;
import dev.cutover.workflow.StepState;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: secrets slipped past masking five ways. The {@link SecretCorpus} run prints every
 * secret of its plan in every form found then and more; nothing Temporal recorded, the status, or
 * the worker log may hold any form of any of them.
 */
class SecretsDoNotSlipOutTest {

  @Test
  void noFormOfAnySecretLeavesTheWorker(@TempDir Path dir) throws Exception {
    // given the corpus plan, run for real on the local host
    // when the migration runs to its end
    SecretCorpus.Outcome run = SecretCorpus.run(dir);

    // then the steps really had the values (the put wrote the secret, the check got its header)
    assertThat(run.result().outcome()).isEqualTo(MigrationState.COMPLETED);
    assertThat(Files.readString(dir.resolve("written.conf"))).isEqualTo(SecretCorpus.PUT_CONTENT);
    assertThat(run.status().steps())
        .extracting(s -> s.name() + "=" + s.state())
        .contains(
            "encodings=" + StepState.SUCCEEDED,
            "echo-check=" + StepState.SUCCEEDED,
            "read-it=" + StepState.SUCCEEDED,
            "failing-check=" + StepState.FAILED,
            "failing-run=" + StepState.FAILED);
    // and what they printed is there, masked: every line of the encodings step shows *** in place
    String encodings =
        run.result().steps().stream()
            .filter(s -> s.name().equals("encodings"))
            .findFirst()
            .orElseThrow()
            .outputTail();
    assertThat(encodings).contains("raw ***", "{\"t\":\"***\"}", "crlf ***", "split ***");
    assertThat(encodings.lines().filter(l -> !l.contains("***"))).as(encodings).isEmpty();
    // and the line cut to 4,000 characters was masked before the cut: its start is the mask's end
    String longLines =
        run.result().steps().stream()
            .filter(s -> s.name().equals("long-lines"))
            .findFirst()
            .orElseThrow()
            .outputTail();
    assertThat(longLines).endsWith("a".repeat(3990)).hasSizeLessThanOrEqualTo(4000);

    // and no form of any secret is in the history, raw or in its base64 payloads
    String json = run.history().toJson(false);
    StringBuilder decoded = new StringBuilder();
    run.history().getEvents().forEach(e -> decoded.append(e.toString()));
    assertThat(SecretCorpus.hits(json)).as("history JSON").isEmpty();
    assertThat(SecretCorpus.hits(decoded.toString())).as("history events").isEmpty();
    assertThat(decoded.toString()).contains("env:CORPUS_API_TOKEN");
    // nor in the status a query returns
    String status =
        DefaultDataConverter.newDefaultInstance()
            .toPayload(run.status())
            .orElseThrow()
            .getData()
            .toStringUtf8();
    assertThat(SecretCorpus.hits(status)).as("status").isEmpty();
    assertThat(status).contains("***");
    // nor in the worker's log
    assertThat(SecretCorpus.hits(run.workerLog())).as("worker log").isEmpty();
    // and the run, recorded with the plan's secret references in its activities' headers, replays
    // on a worker without the interceptor (a rollback of this change)
    io.temporal.testing.WorkflowReplayer.replayWorkflowExecution(
        run.history(), dev.cutover.workflow.MigrationWorkflowImpl.class);
  }

  @Test
  void theScanFindsEveryFormItLooksFor() {
    // given text holding a secret JSON-escaped, URL-encoded and inside a longer base64 text
    String token = SecretCorpus.TOKEN;
    String embedded =
        Base64.getEncoder()
            .encodeToString(("xy" + token + "tail").getBytes(StandardCharsets.UTF_8));

    // when it is scanned
    // then each is a hit (a scan that finds nothing proves nothing)
    assertThat(SecretCorpus.hits("a " + SecretMask.json(token, true, false) + " b")).isNotEmpty();
    assertThat(SecretCorpus.hits(java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)))
        .isNotEmpty();
    assertThat(SecretCorpus.hits(embedded)).isNotEmpty();
    assertThat(SecretCorpus.hits("Kq7Wz\n9Lp-Rt4\tEnd5")).isNotEmpty();
    assertThat(SecretCorpus.hits("nothing here")).isEmpty();
  }
}
