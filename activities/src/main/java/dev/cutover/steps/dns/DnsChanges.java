package dev.cutover.steps.dns;

import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and changes a record on any provider: every check is made on every copy a change writes
 * before the first write, and a copy already in the wanted state is left alone, so a retry after a
 * crash ends in the same state and reports {@code changed = false} for what was done before.
 */
final class DnsChanges {
  /** The TTL a record gets when it is created without one. */
  static final Duration NEW_RECORD_TTL = Duration.ofSeconds(300);

  private DnsChanges() {}

  /**
   * Every source must serve the zone and answer; the state reported is the primary's (the first
   * source), which is where changes are made; secondaries may lag behind it for a moment.
   */
  static DnsRecordState read(DnsRecords records, String name, DnsRecordType type) {
    String absolute = records.absoluteName(name);
    DnsRrset primary = null;
    for (String source : records.sources()) {
      records.checkServed(source);
      DnsRrset answer = records.answer(source, absolute, type);
      if (primary == null) {
        primary = answer;
      }
    }
    return new DnsRecordState(
        records.zone(),
        absolute,
        type,
        primary.exists(),
        primary.values(),
        primary.ttl(),
        records.sources());
  }

  static DnsChangeResult setTtl(
      DnsRecords records, String step, String name, DnsRecordType type, Duration ttl) {
    String absolute = records.absoluteName(name);
    if (!records.hasTtl()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + step + ": a hosts file has no TTL; a dns-ttl step needs an rfc2136 dns entry",
          CutoverErrors.INVALID_CONFIG);
    }
    if (ttl == null || ttl.isNegative() || ttl.toSeconds() > Integer.MAX_VALUE) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step " + step + ": TTL " + ttl + " is not valid", CutoverErrors.INVALID_CONFIG);
    }
    Duration wanted = Duration.ofSeconds(ttl.toSeconds());
    Map<String, DnsRrset> copies = copies(records, absolute, type);
    for (Map.Entry<String, DnsRrset> copy : copies.entrySet()) {
      if (!copy.getValue().exists()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "step "
                + step
                + ": "
                + absolute
                + " "
                + type
                + " does not exist on "
                + copy.getKey()
                + ", so its TTL cannot be changed; create the record or fix the step's name and type",
            CutoverErrors.STATE_CONFLICT);
      }
    }
    DnsRrset previous = copies.values().iterator().next();
    boolean changed = false;
    for (Map.Entry<String, DnsRrset> copy : copies.entrySet()) {
      DnsRrset current = copy.getValue();
      if (!wanted.equals(current.ttl())) {
        records.replace(
            copy.getKey(), absolute, type, current, new DnsRrset(true, current.values(), wanted));
        changed = true;
      }
    }
    return new DnsChangeResult(
        records.zone(),
        absolute,
        type,
        true,
        previous.values(),
        previous.ttl(),
        previous.values(),
        wanted,
        changed);
  }

  static DnsChangeResult setRecord(
      DnsRecords records,
      String step,
      String name,
      DnsRecordType type,
      List<String> values,
      Duration ttl,
      List<String> expectedValues) {
    String absolute = records.absoluteName(name);
    String where = "step " + step + ": " + absolute + " " + type;
    List<String> wanted = DnsValues.canonical(type, values, where);
    List<String> expected = DnsValues.canonical(type, expectedValues, where);
    Duration wantedTtl =
        records.hasTtl() && ttl != null ? Duration.ofSeconds(ttl.toSeconds()) : null;
    Map<String, DnsRrset> copies = copies(records, absolute, type);

    // Every copy is checked before the first one changes.
    List<String> conflicts = new ArrayList<>();
    copies.forEach(
        (source, current) -> {
          if (!current.holds(wanted, wantedTtl)
              && !expected.isEmpty()
              && !current.values().equals(expected)
              && !current.values().equals(wanted)) {
            conflicts.add(source + " holds " + current.describe());
          }
        });
    if (!conflicts.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          where
              + " is not what the plan expects: "
              + String.join("; ", conflicts)
              + ", the plan expects "
              + String.join(", ", expected)
              + " (or already "
              + (wanted.isEmpty() ? "no record" : String.join(", ", wanted))
              + "); nothing was changed; check who changed the record, then fix the plan's expectValue or the record",
          CutoverErrors.STATE_CONFLICT);
    }

    // The previous state is the first copy not yet changed: after a crash mid-way, the original.
    DnsRrset previous =
        copies.values().stream()
            .filter(c -> !c.holds(wanted, wantedTtl))
            .findFirst()
            .orElse(copies.values().iterator().next());
    boolean changed = false;
    Duration resultTtl = null;
    for (Map.Entry<String, DnsRrset> copy : copies.entrySet()) {
      DnsRrset current = copy.getValue();
      Duration newTtl =
          !records.hasTtl()
              ? null
              : wantedTtl != null ? wantedTtl : current.exists() ? current.ttl() : NEW_RECORD_TTL;
      resultTtl = wanted.isEmpty() ? null : newTtl;
      if (current.holds(wanted, wantedTtl)) {
        resultTtl = wanted.isEmpty() ? null : current.ttl();
        continue;
      }
      records.replace(copy.getKey(), absolute, type, current, DnsRrset.of(wanted, newTtl));
      changed = true;
    }
    return new DnsChangeResult(
        records.zone(),
        absolute,
        type,
        previous.exists(),
        previous.values(),
        previous.ttl(),
        wanted,
        resultTtl,
        changed);
  }

  /**
   * What each copy a change writes holds now; a copy whose source does not serve the zone stops the
   * step first.
   */
  private static Map<String, DnsRrset> copies(
      DnsRecords records, String absolute, DnsRecordType type) {
    Map<String, DnsRrset> copies = new LinkedHashMap<>();
    for (String source : records.writeSources()) {
      records.checkServed(source);
      copies.put(source, records.answer(source, absolute, type));
    }
    return copies;
  }
}
