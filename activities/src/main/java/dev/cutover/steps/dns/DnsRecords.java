package dev.cutover.steps.dns;

import java.util.List;

/**
 * One provider's view of a target's records: where they are answered (servers, or hosts' files),
 * what each answers, and how one copy is replaced. The DNS activities ({@link DnsChanges}, {@link
 * DnsWaiter}, {@link DnsPreflight}) work on this only, so an HTTP-API provider fits as one more
 * implementation. Methods raise classified {@link io.temporal.failure.ApplicationFailure}s.
 */
interface DnsRecords {
  /**
   * The zone as results name it (no trailing dot); {@code null} where there is none (hosts files).
   */
  String zone();

  /** The record's name as results carry it; a name the provider cannot take stops the step. */
  String absoluteName(String name);

  /**
   * Where the record is answered, the primary first: servers as the plan names them, or host names.
   */
  List<String> sources();

  /** The sources a change writes to: the primary (the others follow it), or every hosts file. */
  List<String> writeSources();

  /** Whether records have a TTL here. */
  boolean hasTtl();

  /**
   * Checks that {@code source} serves the zone (rfc2136: answers its SOA authoritatively; hosts
   * file: can be read).
   */
  void checkServed(String source);

  /**
   * What {@code source} answers now for the name (as {@link #absoluteName} returned it) and type.
   */
  DnsRrset answer(String source, String name, DnsRecordType type);

  /**
   * Replaces the record on {@code source} with {@code wanted} (absent: removes it), provided it
   * still holds {@code current}; if it does not, nothing changes and a {@code StateConflict} is
   * raised.
   */
  void replace(String source, String name, DnsRecordType type, DnsRrset current, DnsRrset wanted);
}
