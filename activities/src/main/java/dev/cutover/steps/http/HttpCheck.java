package dev.cutover.steps.http;

import dev.cutover.secrets.ActivitySecrets;
import dev.cutover.secrets.SecretMask;
import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * One {@code http} check: a GET with Apache HttpClient, names of the check's {@code resolve} map
 * sent to their address, and the status and body compared with what the step expects.
 *
 * <p>Secret header values are resolved here and only here; they never reach the result, a message
 * or a log line of this class, and a body that echoes one has it masked before an excerpt is kept.
 */
final class HttpCheck {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  static final int DEFAULT_STATUS = 200;

  /** How much of the body is read to match the pattern against. */
  static final int BODY_LIMIT = 1 << 20;

  /** How much of the body a result and a message keep. */
  static final int EXCERPT_CHARS = 300;

  private final SecretResolver secrets;
  private final CheckTrust trust;

  HttpCheck(SecretResolver secrets, CheckTrust trust) {
    this.secrets = secrets;
    this.trust = trust;
  }

  HttpCheckResult run(HttpCheckRequest r) {
    String where = "step " + r.step() + ": GET " + r.url();
    URI uri = uri(r.url(), where);
    Pattern pattern = pattern(r.bodyPattern(), where);
    ResolveOverrides dns;
    try {
      dns = ResolveOverrides.of(r.resolve());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": " + e.getMessage(), CutoverErrors.INVALID_CONFIG);
    }
    int expected = r.expectedStatus() == null ? DEFAULT_STATUS : r.expectedStatus();
    Duration timeout =
        r.timeout() == null || r.timeout().isZero() || r.timeout().isNegative()
            ? DEFAULT_TIMEOUT
            : r.timeout();
    Map<String, String> secretValues = resolveSecrets(r.secretHeaders(), where);
    checkHeaderValues(r.headers(), secretValues, where);
    // The plan's other secrets too: a server may echo any of them, in JSON or URL-encoded.
    SecretMask mask = ActivitySecrets.current().with(secretValues.values());

    long started = System.nanoTime();
    HttpGet get = new HttpGet(uri);
    r.headers().forEach(get::setHeader);
    secretValues.forEach(get::setHeader);
    HttpClientContext context = HttpClientContext.create();
    // The whole exchange, not only each read, is bounded by the step's timeout.
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .execute(get::cancel);
    int status;
    String body;
    // executeOpen, not a response handler: the handler's client would read a huge body to its end
    // afterwards; closing the response unread drops the connection instead.
    try (CloseableHttpClient client = client(dns, timeout, r.followRedirects());
        ClassicHttpResponse response = client.executeOpen(null, get, context)) {
      status = response.getCode();
      body = read(response.getEntity());
    } catch (IOException | RuntimeException e) {
      long millis = elapsed(started);
      String address = address(context, dns, uri);
      String why =
          get.isCancelled() ? "no complete answer within " + timeout.toMillis() + "ms" : reason(e);
      HttpCheckResult result = new HttpCheckResult(0, address, false, "", millis);
      throw ApplicationFailure.newFailureWithCause(
          where
              + ": no answer from "
              + uri.getHost()
              + ":"
              + port(uri)
              + (address.isEmpty() ? "" : " at " + address)
              + ": "
              + masked(why, mask),
          CutoverErrors.CHECK_FAILED,
          null,
          result);
    }
    long millis = elapsed(started);
    boolean matched = pattern == null || pattern.matcher(body).find();
    String shown = excerpt(masked(body, mask));
    HttpCheckResult result =
        new HttpCheckResult(status, address(context, dns, uri), matched, shown, millis);
    List<String> problems = new ArrayList<>();
    if (status != expected) {
      problems.add("status " + status + ", expected " + expected);
    }
    if (!matched) {
      problems.add("the body has no match for /" + r.bodyPattern() + "/");
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newFailureWithCause(
          where
              + " (at "
              + result.address()
              + "): "
              + String.join("; ", problems)
              + "; body starts: "
              + oneLine(shown),
          CutoverErrors.CHECK_FAILED,
          null,
          result);
    }
    return result;
  }

  private CloseableHttpClient client(
      ResolveOverrides dns, Duration timeout, boolean followRedirects) {
    Timeout t = Timeout.ofMilliseconds(timeout.toMillis());
    BasicHttpClientConnectionManager connections =
        BasicHttpClientConnectionManager.create(
            null,
            dns,
            RegistryBuilder.<TlsSocketStrategy>create()
                .register("https", new DefaultClientTlsStrategy(trust.sslContext()))
                .build(),
            null);
    connections.setConnectionConfig(
        ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t).build());
    return HttpClients.custom()
        .setConnectionManager(connections)
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setRedirectsEnabled(followRedirects)
                .setResponseTimeout(t)
                .build())
        .disableAutomaticRetries()
        .disableCookieManagement()
        .disableAuthCaching()
        .build();
  }

  /** The body as text, at most {@link #BODY_LIMIT} bytes of it. */
  private static String read(HttpEntity entity) throws IOException {
    if (entity == null) {
      return "";
    }
    Charset charset = StandardCharsets.UTF_8;
    ContentType type = ContentType.parseLenient(entity.getContentType());
    if (type != null && type.getCharset() != null) {
      charset = type.getCharset();
    }
    InputStream in = entity.getContent();
    byte[] bytes = in == null ? new byte[0] : in.readNBytes(BODY_LIMIT);
    return new String(bytes, charset);
  }

  /**
   * HttpClient sends a CR or LF in a header value as a space: a different value than the plan or
   * the secret holds, sent without a word. validate refuses literal values; a secret's value is
   * only known here, and its message names the header, never the value.
   */
  private static void checkHeaderValues(
      Map<String, String> literal, Map<String, String> secret, String where) {
    literal.forEach(
        (header, value) -> {
          int bad = HeaderValues.firstForbidden(value);
          if (bad >= 0) {
            throw ApplicationFailure.newNonRetryableFailure(
                where
                    + ": header "
                    + header
                    + ": the value holds "
                    + HeaderValues.describe(value.charAt(bad))
                    + "; a header value is one line without control characters",
                CutoverErrors.INVALID_CONFIG);
          }
        });
    secret.forEach(
        (header, value) -> {
          int bad = HeaderValues.firstForbidden(value);
          if (bad >= 0) {
            throw ApplicationFailure.newNonRetryableFailure(
                where
                    + ": header "
                    + header
                    + ": the secret's value holds "
                    + HeaderValues.describe(value.charAt(bad))
                    + " (a secret file with more than one line?);"
                    + " a header value is one line without control characters",
                CutoverErrors.INVALID_CONFIG);
          }
        });
  }

  private Map<String, String> resolveSecrets(Map<String, String> refs, String where) {
    Map<String, String> values = new LinkedHashMap<>();
    refs.forEach(
        (header, ref) -> {
          try {
            values.put(header, secrets.resolve(ref));
          } catch (ApplicationFailure f) {
            throw ApplicationFailure.newNonRetryableFailure(
                where + ": header " + header + ": " + f.getOriginalMessage(), f.getType());
          }
        });
    return values;
  }

  private static URI uri(String url, String where) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw ApplicationFailure.newNonRetryableFailure(
            where + ": the URL must start with http:// or https://", CutoverErrors.INVALID_CONFIG);
      }
      if (uri.getHost() == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            where + ": the URL has no host name", CutoverErrors.INVALID_CONFIG);
      }
      return uri;
    } catch (URISyntaxException | NullPointerException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          where
              + ": not a URL ("
              + (e instanceof URISyntaxException u ? u.getReason() : "missing")
              + ")",
          CutoverErrors.INVALID_CONFIG);
    }
  }

  private static Pattern pattern(String regex, String where) {
    if (regex == null) {
      return null;
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          where + ": bodyPattern is not a regular expression: " + e.getDescription(),
          CutoverErrors.INVALID_CONFIG);
    }
  }

  /** The address the request went to: the connection's, else what the resolver handed out. */
  private static String address(HttpClientContext context, ResolveOverrides dns, URI uri) {
    EndpointDetails endpoint = context.getEndpointDetails();
    if (endpoint != null) {
      SocketAddress remote = endpoint.getRemoteAddress();
      if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
        return inet.getAddress().getHostAddress();
      }
    }
    return dns.answered();
  }

  private static int port(URI uri) {
    return uri.getPort() != -1
        ? uri.getPort()
        : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String reason(Exception e) {
    if (e instanceof UnknownHostException) {
      return "the name does not resolve (" + e.getMessage() + ")";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out (" + e.getMessage() + ")";
    }
    if (e instanceof SSLException) {
      return "TLS failed: " + e.getMessage();
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  static String masked(String text, SecretMask secrets) {
    return secrets.mask(text);
  }

  private static String excerpt(String body) {
    return body.length() <= EXCERPT_CHARS ? body : body.substring(0, EXCERPT_CHARS) + "...";
  }

  private static String oneLine(String text) {
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.isEmpty() ? "(empty)" : "\"" + flat + "\"";
  }

  private static long elapsed(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }
}
