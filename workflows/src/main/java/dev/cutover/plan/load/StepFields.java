package dev.cutover.plan.load;

import dev.cutover.plan.Step;
import dev.cutover.plan.StepKind;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which of a step's fields belong to which kind. A field set on a kind that does not read it is an
 * error: a `delete: true` on a put step, say, would otherwise be silently ignored.
 */
final class StepFields {
  /** Fields every kind has. */
  static final Set<String> COMMON =
      Set.of("name", "kind", "description", "timeout", "retry", "onFailure", "undo", "pointOfNoReturn");

  static final Map<StepKind, Set<String>> BY_KIND = new EnumMap<>(StepKind.class);

  static {
    BY_KIND.put(StepKind.RUN, Set.of("host", "sudo", "command", "cwd", "env", "secretEnv"));
    BY_KIND.put(StepKind.WAIT, Set.of("duration"));
    BY_KIND.put(StepKind.RSYNC, Set.of("sudo", "from", "to", "source", "target", "excludes", "delete", "partial", "bwlimit", "pull", "identity"));
    BY_KIND.put(StepKind.SERVICE, Set.of("host", "sudo", "unit", "action", "command", "check", "settle"));
    BY_KIND.put(StepKind.CRON, Set.of("sudo", "from", "to", "user", "replace"));
    BY_KIND.put(StepKind.MAINTENANCE, Set.of("host", "sudo", "action", "path", "content", "onCommand", "offCommand", "check"));
    BY_KIND.put(StepKind.PUT, Set.of("host", "sudo", "path", "content", "contentSecret", "mode", "owner", "keepBackup"));
    BY_KIND.put(StepKind.PG_COPY, Set.of("from", "to", "jobs", "noOwner", "noPrivileges", "role", "schemas", "excludeTables"));
    BY_KIND.put(StepKind.PG_REPLICATE, Set.of("from", "to", "action", "publication", "subscription", "tables", "copySchema",
        "copySequences", "reverse", "noOwner", "noPrivileges", "role"));
    BY_KIND.put(StepKind.PG_VERIFY, Set.of("from", "to", "tables", "excludeTables", "checksums"));
    BY_KIND.put(StepKind.SQL, Set.of("database", "query", "expectRows", "expectValue"));
    BY_KIND.put(StepKind.PG_CONNECTIONS, Set.of("database", "ignoreUsers", "ignoreApplications", "terminate", "terminateAfter", "interval"));
    BY_KIND.put(StepKind.DNS_TTL, Set.of("dns", "record", "type", "ttl", "interval"));
    BY_KIND.put(StepKind.DNS_SET, Set.of("dns", "record", "type", "ttl", "value", "expectValue", "interval"));
    BY_KIND.put(StepKind.PROXY_SWITCH, Set.of("host", "sudo", "to", "site", "enabledLink", "serverNames", "listen", "certificate",
        "certificateKey", "upstream", "upstreamHost", "readTimeout", "testCommand", "reloadCommand"));
    BY_KIND.put(StepKind.HTTP, Set.of("url", "expectStatus", "expectBody", "resolve", "headers", "secretHeaders", "followRedirects", "readTimeout"));
    BY_KIND.put(StepKind.TLS, Set.of("url", "resolve", "validDays"));
    BY_KIND.put(StepKind.NOTIFY, Set.of("message"));
  }

  /** Read once: each getRecordComponents call parses the annotations again. */
  private static final RecordComponent[] STEP_COMPONENTS = Step.class.getRecordComponents();

  private StepFields() {}

  /** Reports each field set on the step that its kind does not read. Kinds not listed are not checked. */
  static void checkApplicable(Step step, String path, BiConsumer<String, String> report) {
    Set<String> own = BY_KIND.get(step.kind());
    if (own == null) {
      return;
    }
    for (RecordComponent component : STEP_COMPONENTS) {
      String field = component.getName();
      if (COMMON.contains(field) || own.contains(field) || !isSet(step, component)) {
        continue;
      }
      report.accept(path + "." + field, "field '" + field + "' does not apply to a " + step.kind().yamlName()
          + " step; its fields are: " + String.join(", ", new java.util.TreeSet<>(own)));
    }
  }

  private static boolean isSet(Step step, RecordComponent component) {
    try {
      Object value = component.getAccessor().invoke(step);
      if (value instanceof Collection<?> c) {
        return !c.isEmpty();
      }
      if (value instanceof Map<?, ?> m) {
        return !m.isEmpty();
      }
      return value != null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read step field " + component.getName(), e);
    }
  }

}
