package dev.cutover.steps.proxy;

import dev.cutover.plan.Host;
import java.time.Duration;
import java.util.List;

/**
 * The nginx site to write on the old host. Paths name files on that host; no secret is needed, the
 * TLS key stays in its file.
 *
 * @param step the step's name in the plan
 * @param hostName the old host's name in the plan
 * @param host the old host
 * @param sitePath the site file to replace, like {@code /etc/nginx/sites-available/app}
 * @param enabledPath the link in {@code sites-enabled} that must point to it; {@code null} when
 *     {@code sitePath} is included directly
 * @param serverNames the {@code server_name}s the site answers
 * @param listen the {@code listen} parameters, like {@code 80} or {@code 443 ssl}
 * @param tlsCertificate the certificate file for {@code ssl} listeners; {@code null} without TLS
 * @param tlsCertificateKey the key file for {@code ssl} listeners; {@code null} without TLS
 * @param upstream where to proxy to, like {@code https://10.0.0.2} (the new host)
 * @param upstreamServerName the name sent to the upstream in the Host header and SNI; {@code null}
 *     for the client's Host header
 * @param readTimeout the upstream read timeout ({@code null} for nginx's default)
 * @param testCommand the command that checks the configuration ({@code null} for {@code nginx -t})
 * @param reloadCommand the command that reloads nginx ({@code null} for {@code systemctl reload
 *     nginx} where systemd runs nginx, else {@code nginx -s reload})
 * @param sudo whether to act through {@code sudo -n}
 */
public record ProxySwitchRequest(
    String step,
    String hostName,
    Host host,
    String sitePath,
    String enabledPath,
    List<String> serverNames,
    List<String> listen,
    String tlsCertificate,
    String tlsCertificateKey,
    String upstream,
    String upstreamServerName,
    Duration readTimeout,
    String testCommand,
    String reloadCommand,
    boolean sudo) {

  public ProxySwitchRequest {
    serverNames = serverNames == null ? List.of() : List.copyOf(serverNames);
    listen = listen == null ? List.of() : List.copyOf(listen);
  }
}
