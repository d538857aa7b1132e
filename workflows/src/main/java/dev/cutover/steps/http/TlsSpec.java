package dev.cutover.steps.http;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of a {@code tls} step: check a TLS certificate. */
public record TlsSpec(
    @Doc("The URL whose host and port serve the certificate, like https://www.example.org.")
        String url,
    @Doc(
            "Connect to another address for a host name, keeping the real SNI: {www.example.org: new} checks the new host's certificate before DNS moves. A value is a host (from hosts) or an address.")
        Map<String, String> resolve,
    @Doc("How many days the certificate must still be valid (default 14).") Integer validDays)
    implements StepSpec {
  public TlsSpec {
    resolve =
        resolve == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(resolve));
  }

  @Override
  public String placeText() {
    return url;
  }

  @Override
  public void validate(SpecCheck c) {
    c.require(
        "url",
        url,
        "the URL whose host and port serve the certificate, like https://www.example.org");
    URI uri = url == null ? null : c.url("url", url);
    if (uri != null && uri.getHost() == null) {
      c.report("url", "'" + url + "' names no host");
    }
    if (validDays != null && validDays < 0) {
      c.report("validDays", "must be 0 or more");
    }
    HttpChecks.resolve(c, resolve);
  }
}
