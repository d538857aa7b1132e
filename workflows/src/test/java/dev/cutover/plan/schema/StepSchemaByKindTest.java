package dev.cutover.plan.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The schema offers a step only its own kind's fields: checked with a JSON Schema validator, as an
 * editor checks.
 */
class StepSchemaByKindTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
          .getSchema(PlanSchema.generate());

  @Test
  void aPlanWithEveryKindPassesTheSchema() throws Exception {
    // given a plan with a step of every kind, each with its own fields
    JsonNode plan = yaml(Files.readString(Path.of("src/test/resources/preflight/every-kind.yaml")));
    // when it is checked, then nothing is wrong
    assertThat(SCHEMA.validate(plan)).isEmpty();
  }

  @Test
  void aFieldOfAnotherKindFailsTheSchema() {
    // given a put step with rsync's delete, and an rsync step with put's path
    JsonNode plan =
        yaml(
            """
        migration: m
        hosts: {old: {transport: local}, new: {transport: local}}
        phases:
          prepare:
            steps:
              - {name: conf, kind: put, host: old, path: /etc/a, content: x, delete: true}
              - {name: copy, kind: rsync, from: old, to: new, source: /a, target: /a, path: /b}
        """);
    // when it is checked
    Set<ValidationMessage> problems = SCHEMA.validate(plan);
    // then both foreign fields are refused, and nothing else
    List<String> texts = problems.stream().map(ValidationMessage::getMessage).toList();
    assertThat(texts)
        .anyMatch(t -> t.contains("delete"))
        .anyMatch(t -> t.contains("path") && t.contains("steps[1]"));
    assertThat(texts).allMatch(t -> t.contains("delete") || t.contains("path"));
  }

  @Test
  void theSameFieldsUnderTheirOwnKindPass() {
    // given the fields from above, each on the kind that owns it
    JsonNode plan =
        yaml(
            """
        migration: m
        hosts: {old: {transport: local}, new: {transport: local}}
        phases:
          prepare:
            steps:
              - {name: conf, kind: put, host: old, path: /etc/a, content: x}
              - {name: copy, kind: rsync, from: old, to: new, source: /a, target: /a, delete: true}
        """);
    // when it is checked, then it passes
    assertThat(SCHEMA.validate(plan)).isEmpty();
  }

  private static JsonNode yaml(String text) {
    return JSON.valueToTree(new Yaml().load(text));
  }
}
