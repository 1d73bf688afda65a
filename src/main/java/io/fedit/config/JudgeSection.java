package io.fedit.config;

import java.util.Locale;

/**
 * The optional model-as-judge: an OpenAI-compatible chat-completions endpoint that grades stored
 * answers (`fedit judge`). Unset {@code base_url} means no judge; a run is complete without one.
 * {@code api_key_env} names the environment variable that holds the key: the key itself is never part
 * of the configuration, so it never reaches config.yaml, manifests, logs or tables.
 */
public record JudgeSection(
    String baseUrl,
    String model,
    String apiKeyEnv,
    double timeoutSeconds,
    int maxRetries,
    long initialBackoffMs,
    long maxBackoffMs,
    int concurrency,
    int maxTokens,
    double temperature)
    implements java.io.Serializable {

  public JudgeSection {
    if (baseUrl != null && !baseUrl.isBlank()) {
      String lower = baseUrl.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
        throw new IllegalArgumentException("judge.base_url must start with http:// or https://, got " + baseUrl);
      }
      baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    } else {
      baseUrl = null;
    }
    if (model != null && model.isBlank()) model = null;
    if (baseUrl != null && model == null) {
      throw new IllegalArgumentException("judge.model must be set when judge.base_url is set (" + baseUrl + ")");
    }
    Require.nonBlank("judge.api_key_env", apiKeyEnv);
    Require.positive("judge.timeout_seconds", timeoutSeconds);
    Require.nonNegative("judge.max_retries", maxRetries);
    if (initialBackoffMs < 0) throw new IllegalArgumentException("judge.initial_backoff_ms must be >= 0, got " + initialBackoffMs);
    if (maxBackoffMs < initialBackoffMs) {
      throw new IllegalArgumentException("judge.max_backoff_ms must be >= judge.initial_backoff_ms ("
          + initialBackoffMs + "), got " + maxBackoffMs);
    }
    Require.positive("judge.concurrency", concurrency);
    Require.positive("judge.max_tokens", maxTokens);
    Require.nonNegative("judge.temperature", temperature);
  }

  /** True when an endpoint is configured. */
  public boolean configured() {
    return baseUrl != null;
  }
}
