package io.fedit.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wall-clock limit written as a duration: {@code 1500ms}, {@code 90s}, {@code 10m}, {@code 2h}, or a plain
 * number of seconds ({@code 90}, {@code 2.5}). {@code 0} (or null in YAML) means no limit. Saved back in the
 * same unit-suffixed form, so a run's {@code config.yaml} reads again to the same value.
 *
 * @param millis the limit in milliseconds; 0 = none
 */
public record TimeLimit(long millis) implements Serializable {
  public static final TimeLimit NONE = new TimeLimit(0);
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  public TimeLimit {
    if (millis < 0) throw new IllegalArgumentException("a time limit must be >= 0 ms, got " + millis);
  }

  /** Parses {@code text} for configuration key {@code key}; the error names the key, the value and the forms. */
  public static TimeLimit parse(String key, String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty() || t.equals("null") || t.equals("none")) return NONE;
    Matcher m = FORM.matcher(t);
    if (!m.matches()) throw invalid(key, text);
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double ms = amount * switch (unit) {
      case "ms" -> 1;
      case "s" -> 1_000;
      case "m" -> 60_000;
      default -> 3_600_000;
    };
    if (ms != Math.rint(ms) || ms > Long.MAX_VALUE / 2) throw invalid(key, text);
    return new TimeLimit((long) ms);
  }

  /** Jackson: a string such as {@code 90s} or a number of seconds. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static TimeLimit fromJson(JsonNode node) {
    if (node == null || node.isNull()) return NONE;
    if (node.isNumber() || node.isTextual()) return parse("federation.round_deadline", node.asText());
    throw invalid("federation.round_deadline", node.toString());
  }

  public boolean isSet() {
    return millis > 0;
  }

  /** The shortest exact form: {@code 0}, {@code 1500ms}, {@code 90s}, {@code 10m}, {@code 2h}. */
  @JsonValue
  @Override
  public String toString() {
    if (millis == 0) return "0";
    if (millis % 3_600_000 == 0) return millis / 3_600_000 + "h";
    if (millis % 60_000 == 0) return millis / 60_000 + "m";
    if (millis % 1_000 == 0) return millis / 1_000 + "s";
    return millis + "ms";
  }

  private static IllegalArgumentException invalid(String key, String text) {
    return new IllegalArgumentException(key + " must be a duration such as 90s, 10m, 1500ms or 2h (a plain number "
        + "is seconds; 0 = no limit), got '" + text + "'");
  }
}
