package io.fedit.config;

import java.util.Collection;
import java.util.Locale;

/** Validation helpers whose messages name the configuration key and the offending value. */
public final class Require {
  private Require() {}

  public static String nonBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " must be set, got " + (value == null ? "null" : "''"));
    }
    return value;
  }

  public static int positive(String key, int value) {
    if (value <= 0) throw new IllegalArgumentException(key + " must be > 0, got " + value);
    return value;
  }

  public static int nonNegative(String key, int value) {
    if (value < 0) throw new IllegalArgumentException(key + " must be >= 0, got " + value);
    return value;
  }

  public static double positive(String key, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(key + " must be a finite number > 0, got " + value);
    }
    return value;
  }

  public static double nonNegative(String key, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(key + " must be a finite number >= 0, got " + value);
    }
    return value;
  }

  /** Inclusive lower bound, exclusive upper bound. */
  public static double inRange(String key, double value, double lo, double hiExclusive) {
    if (!(value >= lo && value < hiExclusive)) {
      throw new IllegalArgumentException(
          String.format(Locale.ROOT, "%s must be in [%s, %s), got %s", key, lo, hiExclusive, value));
    }
    return value;
  }

  /** Returns the lower-cased value if it is one of {@code allowed}. */
  public static String oneOf(String key, String value, Collection<String> allowed) {
    String v = value == null ? null : value.toLowerCase(Locale.ROOT);
    if (v == null || !allowed.contains(v)) {
      throw new IllegalArgumentException(key + " must be one of " + allowed + ", got " + value);
    }
    return v;
  }
}
