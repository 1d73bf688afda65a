package io.fedit.judge;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a 1-10 score out of a judge's free text. Forms, most trusted first (the last occurrence of the
 * first form found wins, since judges reason before they rate):
 * <ol>
 *   <li>{@code [[7]]} (the form the rubric asks for);</li>
 *   <li>{@code Rating: 7}, {@code Score - 7}, {@code **Grade**: 7/10} (a label, then a number);</li>
 *   <li>{@code 7/10}, {@code 7 out of 10};</li>
 *   <li>a reply that is only a number.</li>
 * </ol>
 * Decimals are rounded half up ({@code 7.5} → 8). A number outside 1-10, a denominator other than 10,
 * or no form at all is unparseable: the caller records why instead of guessing.
 */
public final class ScoreParser {
  private static final String NUM = "(-?\\d+(?:\\.\\d+)?)";
  private static final List<Pattern> FORMS = List.of(
      Pattern.compile("\\[\\[\\s*" + NUM + "\\s*(?:/\\s*(\\d+)\\s*)?\\]\\]"),
      Pattern.compile("(?i)\\b(?:rating|score|grade)\\b\\W{0,6}?(?:is\\s+|of\\s+)?\\[?" + NUM
          + "\\]?(?:\\s*(?:/|out\\s+of)\\s*(\\d+))?"),
      Pattern.compile("(?i)(?<![\\d.])" + NUM + "\\s*(?:/|out\\s+of)\\s*(10)\\b"),
      Pattern.compile("^\\s*\\**" + NUM + "\\**\\s*\\.?\\s*$"));

  private ScoreParser() {}

  /** A score, or the reason none could be read. */
  public record Parsed(Integer score, String problem) {
    public boolean ok() {
      return score != null;
    }
  }

  public static Parsed parse(String text) {
    if (text == null || text.isBlank()) return new Parsed(null, "empty reply");
    for (Pattern form : FORMS) {
      Matcher m = form.matcher(text);
      String number = null;
      String denominator = null;
      while (m.find()) {
        number = m.group(1);
        denominator = m.groupCount() >= 2 ? m.group(2) : null;
      }
      if (number == null) continue;
      if (denominator != null && !denominator.equals("10")) {
        return new Parsed(null, "score " + number + "/" + denominator + " is not on the 1-10 scale");
      }
      BigDecimal rounded = new BigDecimal(number).setScale(0, RoundingMode.HALF_UP);
      if (rounded.compareTo(BigDecimal.ONE) < 0 || rounded.compareTo(BigDecimal.TEN) > 0) {
        return new Parsed(null, "score " + number + " is outside 1-10");
      }
      return new Parsed(rounded.intValue(), null);
    }
    return new Parsed(null, "no score found");
  }
}
