package dev.cutover.steps.dns;

import dev.cutover.plan.Step;
import dev.cutover.steps.StepCall;

/** Reads a record once per run, before the first change to it, and keeps it in the run's ledger. */
final class DnsOriginals {
  private DnsOriginals() {}

  static DnsRecordMemory readOnce(StepCall call, DnsActivities activities, DnsTarget target, String name, DnsRecordType type) {
    Step s = call.step();
    DnsRecordMemory known = call.dns().get(s.dns(), name, type);
    if (known != null) {
      return known;
    }
    DnsRecordState original = activities.readRecord(new DnsReadRequest(s.name(), target, name, type));
    DnsRecordMemory memory = new DnsRecordMemory(s.name(), s.dns(), name, type, original, null, null);
    call.dns().remember(memory);
    return memory;
  }

  static DnsRecordType type(Step step) {
    return step.type() == null ? DnsRecordType.A : step.type();
  }
}
