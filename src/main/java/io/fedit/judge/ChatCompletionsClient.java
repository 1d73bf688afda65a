package io.fedit.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedit.config.JudgeSection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Grades one answer through an OpenAI-compatible {@code POST {base_url}/chat/completions} (vLLM,
 * Ollama, hosted APIs), with a per-request timeout (covering the whole response) and retries on
 * timeouts, connection errors, HTTP 429 and 5xx ({@link Backoff}). Other HTTP errors and malformed
 * responses are final. Never throws for a failed request: the outcome says what happened. The API key
 * goes only into the Authorization header; it is cut out of every text the outcome keeps.
 */
public final class ChatCompletionsClient {
  private final JudgeSection cfg;
  private final String apiKey;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final Backoff backoff;
  private final URI endpoint;

  /** {@code apiKey} may be null (local servers need none). */
  public ChatCompletionsClient(JudgeSection cfg, String apiKey) {
    if (!cfg.configured()) throw new IllegalArgumentException("judge.base_url is not set");
    this.cfg = cfg;
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    this.endpoint = URI.create(cfg.baseUrl() + "/chat/completions");
    this.backoff = new Backoff(cfg.initialBackoffMs(), cfg.maxBackoffMs());
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout())
        .build();
  }

  /** One answer's grade; {@code seed} drives the retry jitter. */
  public JudgeOutcome grade(StoredAnswer answer, long seed) {
    long start = System.nanoTime();
    byte[] body = requestBody(answer);
    String lastProblem = "no attempt";
    int attempt = 0;
    while (true) {
      attempt++;
      Attempt a = send(body);
      if (a.text != null) {
        ScoreParser.Parsed p = ScoreParser.parse(a.text);
        String detail = redact(p.ok() ? a.text.strip() : p.problem() + ": " + a.text.strip());
        return new JudgeOutcome(p.score(), p.ok() ? JudgeOutcome.OK : JudgeOutcome.UNPARSEABLE, detail,
            attempt, millisSince(start));
      }
      lastProblem = a.problem;
      if (!a.retryable || attempt > cfg.maxRetries()) break;
      try {
        Thread.sleep(backoff.delayMs(attempt, a.retryAfterMs, seed));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        lastProblem = "interrupted while waiting to retry after: " + lastProblem;
        break;
      }
    }
    String detail = (attempt == 1 ? "" : "after " + attempt + " attempts: ") + lastProblem;
    return new JudgeOutcome(null, JudgeOutcome.ERROR, redact(detail), attempt, millisSince(start));
  }


  /** The result of one HTTP exchange: the judge's text, or a problem and whether to retry. */
  private record Attempt(String text, String problem, boolean retryable, OptionalLong retryAfterMs) {
    static Attempt text(String t) {
      return new Attempt(t, null, false, OptionalLong.empty());
    }

    static Attempt failed(String problem, boolean retryable, OptionalLong retryAfterMs) {
      return new Attempt(null, problem, retryable, retryAfterMs);
    }
  }

  private Attempt send(byte[] body) {
    HttpRequest.Builder rb = HttpRequest.newBuilder(endpoint)
        .timeout(timeout())
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (apiKey != null) rb.header("Authorization", "Bearer " + apiKey);
    CompletableFuture<HttpResponse<String>> future =
        http.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> response;
    try {
      // The request timeout stops at the response headers; this one also covers a stalled body.
      response = future.get(timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return Attempt.failed("timed out after " + cfg.timeoutSeconds() + " s", true, OptionalLong.empty());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      return Attempt.failed("interrupted", false, OptionalLong.empty());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      boolean timeout = cause instanceof java.net.http.HttpTimeoutException;
      String what = timeout ? "timed out after " + cfg.timeoutSeconds() + " s" : "request failed: " + cause;
      return Attempt.failed(what, cause instanceof IOException, OptionalLong.empty());
    }
    int status = response.statusCode();
    if (status == 429 || status >= 500) {
      OptionalLong retryAfter = Backoff.parseRetryAfter(
          response.headers().firstValue("Retry-After").orElse(null), ZonedDateTime.now());
      return Attempt.failed("HTTP " + status + ": " + oneLine(response.body()), true, retryAfter);
    }
    if (status != 200) return Attempt.failed("HTTP " + status + ": " + oneLine(response.body()), false, OptionalLong.empty());
    return parseCompletion(response.body());
  }

  private Attempt parseCompletion(String body) {
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException e) {
      return Attempt.failed("response is not JSON: " + oneLine(body), false, OptionalLong.empty());
    }
    JsonNode content = root == null ? null : root.path("choices").path(0).path("message").path("content");
    if (content == null || !content.isTextual()) {
      return Attempt.failed("response has no choices[0].message.content: " + oneLine(body), false,
          OptionalLong.empty());
    }
    return Attempt.text(content.asText());
  }

  private byte[] requestBody(StoredAnswer answer) {
    ObjectNode req = json.createObjectNode();
    req.put("model", cfg.model());
    req.set("messages", JudgePrompt.messages(json, answer));
    req.put("temperature", cfg.temperature());
    req.put("max_tokens", cfg.maxTokens());
    req.put("stream", false);
    try {
      return json.writeValueAsBytes(req);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a judge request", e);
    }
  }

  private Duration timeout() {
    return Duration.ofMillis(Math.max(1, Math.round(cfg.timeoutSeconds() * 1000)));
  }

  /** Removes the key from text that will be kept (a server may echo the request's headers). */
  private String redact(String s) {
    return apiKey == null || s == null ? s : s.replace(apiKey, "[redacted]");
  }

  private static String oneLine(String s) {
    if (s == null) return "";
    String t = s.replaceAll("\\s+", " ").strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
