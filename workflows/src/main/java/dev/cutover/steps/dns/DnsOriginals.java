package dev.cutover.steps.dns;

import dev.cutover.steps.StepCall;

/** Reads a record once per run, before the first change to it, and keeps it in the run's ledger. */
final class DnsOriginals {
  private DnsOriginals() {}

  static DnsRecordMemory readOnce(
      StepCall call, DnsActivities activities, DnsTarget target, String name, DnsRecordType type) {
    DnsRecordMemory known = call.dns().get(target.name(), name, type);
    if (known != null) {
      return known;
    }
    DnsRecordState original =
        activities.readRecord(new DnsReadRequest(call.step().name(), target, name, type));
    DnsRecordMemory memory =
        new DnsRecordMemory(call.step().name(), target.name(), name, type, original, null, null);
    call.dns().remember(memory);
    return memory;
  }
}
