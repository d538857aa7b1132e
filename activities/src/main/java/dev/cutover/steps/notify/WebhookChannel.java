package dev.cutover.steps.notify;

import dev.cutover.secrets.SecretResolver;
import dev.cutover.steps.CutoverErrors;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Posts the Slack-compatible JSON to the webhook URL, which is resolved from its secret reference
 * here and never written anywhere: a webhook URL is a credential (whoever has it can post), so
 * failures name the reference and what went wrong, never the URL or the library's message about it.
 */
final class WebhookChannel {
  private static final int REPLY_SHOWN = 200;
  private final SecretResolver secrets;
  private final HttpClient http;
  private final Duration requestTimeout;

  WebhookChannel(SecretResolver secrets, Duration connectTimeout, Duration requestTimeout) {
    this.secrets = secrets;
    this.requestTimeout = requestTimeout;
    // No redirects: a redirected webhook is a stale URL, and following it would post elsewhere.
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  void deliver(NotifyRequest request) {
    String reference = request.webhookUrlSecret();
    String url = secrets.resolve(reference);
    URI uri = parse(url, reference);
    // The token is usually the path (Slack, Mattermost) or the query (Google Chat); receivers may
    // echo either.
    Redaction redaction = new Redaction(url, uri.getRawPath(), uri.getRawQuery());
    HttpRequest post =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("Idempotency-Key", request.key())
            .header("X-Cutover-Key", request.key())
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    SlackMessage.body(request), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(post, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw ChannelFailure.retryable(
          "webhook (" + reference + "): the receiver did not answer in time; retried");
    } catch (ConnectException e) {
      throw ChannelFailure.retryable(
          "webhook (" + reference + "): the receiver refused or dropped the connection; retried");
    } catch (IOException e) {
      throw ChannelFailure.retryable(
          "webhook ("
              + reference
              + "): the request failed ("
              + e.getClass().getSimpleName()
              + "); retried");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ChannelFailure.retryable(
          "webhook (" + reference + "): interrupted while sending; retried");
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return;
    }
    String reply = reply(response.body(), redaction);
    if (status >= 500 || status == 408 || status == 429) {
      throw ChannelFailure.retryable(
          "webhook ("
              + reference
              + "): the receiver answered HTTP "
              + status
              + reply
              + "; retried");
    }
    throw ChannelFailure.permanent(
        "webhook ("
            + reference
            + "): the receiver answered HTTP "
            + status
            + reply
            + "; check the webhook URL held by "
            + reference
            + " (revoked, wrong or moved)",
        CutoverErrors.INVALID_CONFIG);
  }

  private static URI parse(String url, String reference) {
    try {
      URI uri = new URI(url.trim());
      String scheme = uri.getScheme();
      if (uri.getHost() == null
          || scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        throw notAUrl(reference);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw notAUrl(reference);
    }
  }

  private static ChannelFailure notAUrl(String reference) {
    return ChannelFailure.permanent(
        "webhook ("
            + reference
            + "): the secret does not hold an http(s) URL with a host; "
            + "put the webhook's full URL in it",
        CutoverErrors.INVALID_CONFIG);
  }

  private static String reply(String body, Redaction redaction) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String text = redaction.apply(body.strip().replaceAll("\\s+", " "));
    return " (" + (text.length() > REPLY_SHOWN ? text.substring(0, REPLY_SHOWN) + "…" : text) + ")";
  }
}
