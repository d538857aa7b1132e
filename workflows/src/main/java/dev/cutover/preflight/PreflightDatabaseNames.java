package dev.cutover.preflight;

import dev.cutover.steps.PreflightNeeds;
import dev.cutover.steps.dns.DnsRecordType;
import dev.cutover.steps.dns.DnsTarget;
import dev.cutover.steps.proxy.ProxySwitchRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The databases one step's preflight needs name: which step is the first to use a database. Pure.
 */
final class PreflightDatabaseNames implements PreflightNeeds {
  private final Set<String> names = new LinkedHashSet<>();

  boolean contains(String database) {
    return names.contains(database);
  }

  @Override
  public void database(String name) {
    names.add(name);
  }

  @Override
  public void publishes(String database, List<String> tables) {
    names.add(database);
  }

  @Override
  public void subscribes(String database) {
    names.add(database);
  }

  @Override
  public void databaseCopy(String step, String from, String to) {
    names.add(from);
    names.add(to);
  }

  @Override
  public void tools(String host, String... tools) {}

  @Override
  public void copy(
      String step,
      String from,
      String source,
      String to,
      String target,
      boolean pull,
      String identity,
      boolean sudo,
      List<String> excludes) {}

  @Override
  public void dns(
      String step,
      DnsTarget target,
      String name,
      DnsRecordType type,
      List<String> expectedValues,
      List<String> newValues) {}

  @Override
  public void proxySwitch(ProxySwitchRequest request) {}
}
