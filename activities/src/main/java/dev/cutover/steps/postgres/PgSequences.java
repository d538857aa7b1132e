package dev.cutover.steps.postgres;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies sequence values from source to target, which logical replication does not carry: without
 * it the first insert on the new server would take an id the old one already handed out. Each
 * sequence gets exactly the source's position ({@code last_value} and {@code is_called}), so the
 * target's next value follows the source's last one; running it twice sets the same values.
 */
public final class PgSequences {
  private static final Logger log = LoggerFactory.getLogger(PgSequences.class);

  /**
   * Sequences per statement: one statement each would be slow with thousands, one for all too long.
   */
  private static final int CHUNK = 200;

  private PgSequences() {}

  /**
   * @param only sequences to copy ({@code schema.sequence}); empty for every sequence of the
   *     source's user schemas. A listed one missing on either side is refused; of all, those the
   *     target lacks are skipped (logged), as a replication of some tables copies only their
   *     schema.
   */
  public static List<PgSequenceValue> copy(
      String step, PgSession source, PgSession target, List<String> only) {
    List<String> names =
        only.isEmpty() ? list(source) : only.stream().map(PgReplicationChecks::display).toList();
    List<String> onTarget = list(target);
    if (!only.isEmpty()) {
      List<String> missing = new ArrayList<>();
      List<String> onSource = list(source);
      names.stream()
          .filter(n -> !onSource.contains(n))
          .forEach(n -> missing.add(n + " is not on " + source.describe()));
      names.stream()
          .filter(n -> !onTarget.contains(n))
          .forEach(n -> missing.add(n + " is not on " + target.describe()));
      if (!missing.isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "step " + step + ": sequences to copy are missing: " + String.join("; ", missing),
            CutoverErrors.DB_PREREQUISITE);
      }
    }
    List<String> copied = new ArrayList<>();
    for (String name : names) {
      if (onTarget.contains(name)) {
        copied.add(name);
      } else {
        log.info(
            "step {}: sequence {} is not on {}; its value is not copied",
            step,
            name,
            target.describe());
      }
    }
    List<PgSequenceValue> out = new ArrayList<>();
    for (int from = 0; from < copied.size(); from += CHUNK) {
      List<String> chunk = copied.subList(from, Math.min(copied.size(), from + CHUNK));
      Map<String, Position> sourceValues = positions(source, chunk);
      Map<String, Position> before = positions(target, chunk);
      String setvals =
          chunk.stream()
              .map(
                  n -> {
                    Position p = sourceValues.get(n);
                    return "select "
                        + PgQuote.literal(n)
                        + " as name, setval("
                        + PgQuote.literal(PgReplicationChecks.qualified(n))
                        + ", "
                        + p.lastValue()
                        + ", "
                        + p.called()
                        + ") as value";
                  })
              .collect(Collectors.joining(" union all "));
      PgRows set = target.query(setvals);
      for (int i = 0; i < set.rows().size(); i++) {
        String name = set.get(i, "name");
        out.add(
            new PgSequenceValue(
                name,
                sourceValues.get(name).lastValue(),
                before.get(name).lastValue(),
                Long.parseLong(set.get(i, "value"))));
      }
    }
    return out;
  }

  /** Every sequence of the user's schemas, as {@code schema.sequence}. */
  static List<String> list(PgSession s) {
    return s.query(
            "select n.nspname || '.' || c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind = 'S' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_' order by 1")
        .column("name");
  }

  /**
   * A sequence's position: nextval returns {@code lastValue} when not called yet, else the one
   * after.
   */
  record Position(long lastValue, boolean called) {}

  private static Map<String, Position> positions(PgSession s, List<String> names) {
    String sql =
        names.stream()
            .map(
                n ->
                    "select "
                        + PgQuote.literal(n)
                        + " as name, last_value, is_called from "
                        + PgReplicationChecks.qualified(n))
            .collect(Collectors.joining(" union all "));
    PgRows rows = s.query(sql);
    Map<String, Position> out = new LinkedHashMap<>();
    for (int i = 0; i < rows.rows().size(); i++) {
      out.put(
          rows.get(i, "name"),
          new Position(
              Long.parseLong(rows.get(i, "last_value")), "t".equals(rows.get(i, "is_called"))));
    }
    return out;
  }
}
