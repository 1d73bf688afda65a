package io.fedit.judge;

import io.fedit.seeds.Seeds;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * How long to wait before retry number {@code retry} (1 = the first retry): the server's Retry-After
 * when it sent one (seconds or an HTTP date; at most {@link #MAX_RETRY_AFTER_MS}), otherwise
 * initial × 2^(retry-1), capped at the maximum, with "equal jitter" (half fixed, half random) so that
 * concurrent requests refused together do not come back together. The jitter is a pure function of
 * the seed the caller derives from the answer graded, never of global random state.
 */
final class Backoff {
  static final long MAX_RETRY_AFTER_MS = 300_000;

  private final long initialMs;
  private final long maxMs;

  Backoff(long initialMs, long maxMs) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  long delayMs(int retry, OptionalLong retryAfterMs, long seed) {
    if (retryAfterMs.isPresent()) return Math.min(Math.max(0, retryAfterMs.getAsLong()), MAX_RETRY_AFTER_MS);
    long exp = initialMs;
    for (int i = 1; i < retry && exp < maxMs; i++) exp *= 2;
    exp = Math.min(exp, maxMs);
    long half = exp / 2;
    long jitter = half == 0 ? 0 : Seeds.stream(Seeds.retry(seed, retry)).nextLong(half + 1);
    return exp - half + jitter;
  }

  /** A Retry-After header value in milliseconds: delta-seconds or an HTTP date (RFC 1123). */
  static OptionalLong parseRetryAfter(String value, ZonedDateTime now) {
    if (value == null || value.isBlank()) return OptionalLong.empty();
    String v = value.trim();
    try {
      double seconds = Double.parseDouble(v);
      return seconds >= 0 ? OptionalLong.of(Math.round(seconds * 1000)) : OptionalLong.empty();
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        return OptionalLong.of(Math.max(0, Duration.between(now, at).toMillis()));
      } catch (DateTimeParseException notDate) {
        return OptionalLong.empty();
      }
    }
  }
}
