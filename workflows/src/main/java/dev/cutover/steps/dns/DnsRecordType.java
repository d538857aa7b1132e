package dev.cutover.steps.dns;

import dev.cutover.plan.Doc;
import dev.cutover.plan.YamlName;

/** The record types cutover changes; plans write them as DNS does, in capitals. */
public enum DnsRecordType {
  @Doc("An IPv4 address.")
  @YamlName("A")
  A,
  @Doc("An IPv6 address.")
  @YamlName("AAAA")
  AAAA,
  @Doc("An alias: the name of another record.")
  @YamlName("CNAME")
  CNAME;

  /** The type a record has when the plan names none. */
  public static final DnsRecordType DEFAULT = A;

  /** The type, or {@link #DEFAULT} when the plan names none. */
  public static DnsRecordType orDefault(DnsRecordType type) {
    return type == null ? DEFAULT : type;
  }
}
