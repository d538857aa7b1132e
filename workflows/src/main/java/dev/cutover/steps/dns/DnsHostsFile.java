package dev.cutover.steps.dns;

import dev.cutover.plan.Host;

/**
 * One host's hosts file, for the {@code hosts-file} provider.
 *
 * @param hostName the host's name in the plan
 * @param host the host, as activities need it
 * @param path the file, like {@code /etc/hosts}
 * @param sudo whether to edit it through {@code sudo -n}
 */
public record DnsHostsFile(String hostName, Host host, String path, boolean sudo) {}
