package dev.cutover.steps.dns;

/** The record types cutover changes. */
public enum DnsRecordType {
  A,
  AAAA,
  CNAME
}
