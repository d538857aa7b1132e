package dev.cutover.steps.http;

import java.time.Duration;
import java.util.Map;

/**
 * An HTTP check. {@code secretHeaders} maps header names to secret references such as {@code
 * env:HEALTH_TOKEN}; the worker resolves them, so no value ever enters the history.
 *
 * @param step the step's name in the plan
 * @param url the URL to request (GET)
 * @param expectedStatus the status the response must have ({@code null} for 200)
 * @param bodyPattern a regular expression the body must contain a match for; {@code null} for no
 *     check
 * @param resolve host names mapped to the address to connect to instead of resolving them (like
 *     curl's {@code --resolve}), keeping the real Host header and SNI, so the new host can be
 *     checked before DNS moves
 * @param headers request headers with literal values
 * @param secretHeaders request headers whose values come from secret references
 * @param followRedirects whether redirects are followed
 * @param timeout the longest time the request may take ({@code null} for 10s)
 */
public record HttpCheckRequest(
    String step,
    String url,
    Integer expectedStatus,
    String bodyPattern,
    Map<String, String> resolve,
    Map<String, String> headers,
    Map<String, String> secretHeaders,
    boolean followRedirects,
    Duration timeout) {

  public HttpCheckRequest {
    resolve =
        resolve == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(resolve));
    headers =
        headers == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    secretHeaders =
        secretHeaders == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(secretHeaders));
  }
}
