package dev.cutover.steps.http;

import dev.cutover.plan.Doc;
import dev.cutover.plan.SpecCheck;
import dev.cutover.plan.StepSpec;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The fields of an {@code http} step: check an HTTP endpoint. */
public record HttpSpec(
    @Doc("The URL to check, like https://www.example.org/health.") String url,
    @Doc("The status the response must have (default 200).") Integer expectStatus,
    @Doc("A regular expression the body must contain a match for.") String expectBody,
    @Doc(
            "Connect to another address for a host name, keeping the real Host header and SNI: {www.example.org: new} sends the request to the new host's address before DNS moves. A value is a host (from hosts) or an address.")
        Map<String, String> resolve,
    @Doc("Request headers with literal values.") Map<String, String> headers,
    @Doc("Request headers whose values come from named secrets.") Map<String, String> secretHeaders,
    @Doc("Follow redirects (default false: the first response counts).") Boolean followRedirects,
    @Doc("How long the request may take (default 10s).") Duration readTimeout)
    implements StepSpec {
  static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

  public HttpSpec {
    resolve =
        resolve == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(resolve));
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    secretHeaders =
        secretHeaders == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(secretHeaders));
  }

  @Override
  public String placeText() {
    return url;
  }

  @Override
  public void validate(SpecCheck c) {
    c.require("url", url, "the URL to request");
    URI uri = url == null ? null : c.url("url", url);
    if (uri != null && !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      c.report("url", "'" + url + "' must start with http:// or https://");
    }
    if (expectStatus != null && (expectStatus < 100 || expectStatus > 599)) {
      c.report("expectStatus", expectStatus + " is not an HTTP status (100-599)");
    }
    if (expectBody != null) {
      try {
        Pattern.compile(expectBody);
      } catch (PatternSyntaxException e) {
        c.report("expectBody", "not a regular expression: " + e.getDescription());
      }
    }
    headers.forEach(
        (h, value) -> {
          header(c, "headers." + h, h);
          int bad = HeaderValues.firstForbidden(value);
          if (bad >= 0) {
            c.report(
                "headers." + h,
                "the value holds "
                    + HeaderValues.describe(value.charAt(bad))
                    + " at character "
                    + (bad + 1)
                    + ": a header value is one line without control characters");
          }
        });
    secretHeaders.forEach(
        (h, secret) -> {
          header(c, "secretHeaders." + h, h);
          if (!c.secretKnown(secret)) {
            c.report(
                "secretHeaders." + h,
                "names no entry under secrets"
                    + c.declaredSecrets()
                    + "; secretHeaders maps a header to a secret's name, and secrets maps the name to env:NAME or file:/path");
          }
        });
    HttpChecks.resolve(c, resolve);
    c.positive("readTimeout", readTimeout);
    if (!secretHeaders.isEmpty() && Boolean.TRUE.equals(followRedirects)) {
      // A redirect is sent with the same headers, to whatever host it names.
      c.report(
          "followRedirects",
          "an http step with secretHeaders does not follow redirects: the secret would go to whatever host a redirect names");
    }
  }

  private static void header(SpecCheck c, String field, String name) {
    if (!HEADER_NAME.matcher(name).matches()) {
      c.report(field, "'" + name + "' is not an HTTP header name");
    }
  }
}
