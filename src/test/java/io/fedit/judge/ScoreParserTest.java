package io.fedit.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Score parsing of judges' free text, and the retry delays (pure logic). */
class ScoreParserTest {
  private static Integer score(String text) {
    return ScoreParser.parse(text).score();
  }

  @Test
  void readsTheCommonForms() {
    assertEquals(7, score("Helpful and correct, minor gaps.\nRating: [[7]]"));
    assertEquals(7, score("[[ 7 ]]"));
    assertEquals(8, score("[[8/10]]"));
    assertEquals(7, score("I would give it 7/10."));
    assertEquals(6, score("6 out of 10"));
    assertEquals(9, score("Score: 9"));
    assertEquals(4, score("**Rating**: 4"));
    assertEquals(3, score("The score is 3 because it is mostly wrong."));
    assertEquals(5, score("Grade - 5/10"));
    assertEquals(10, score("10"));
    assertEquals(2, score("  2.  "));
    assertEquals(8, score("Rating: [[7.5]]"), "decimals round half up");
  }

  @Test
  void theRequestedFormWinsAndTheLastOccurrenceCounts() {
    assertEquals(6, score("Compared with a 9/10 answer this lacks detail. Rating: [[6]]"));
    assertEquals(4, score("Score: 8 at first sight, but it is wrong. Final score: 4"));
    assertEquals(5, score("First draft [[9]]. On reflection [[5]]"));
  }

  @Test
  void rejectsOutOfRangeAndMissingScores() {
    assertNull(score("Rating: [[11]]"));
    assertTrue(ScoreParser.parse("Rating: [[11]]").problem().contains("outside 1-10"));
    assertNull(score("Rating: [[0]]"));
    assertNull(score("Score: 15/10"));
    assertNull(score("Rating: 8/100"), "another scale is not silently rescaled");
    assertNull(score("Rating: 99999999999999999999"));
    assertNull(score("The answer is fine."));
    assertEquals("no score found", ScoreParser.parse("The answer is fine.").problem());
    assertNull(score("Half of it (1/2) is right"));
    assertNull(score("   "));
    assertFalse(ScoreParser.parse(null).ok());
  }

  @Test
  void backoffDoublesCapsAndHonoursRetryAfter() {
    Backoff b = new Backoff(100, 1000);
    for (long seed = 0; seed < 20; seed++) {
      long d1 = b.delayMs(1, OptionalLong.empty(), seed);
      long d3 = b.delayMs(3, OptionalLong.empty(), seed);
      long d9 = b.delayMs(9, OptionalLong.empty(), seed);
      assertTrue(d1 >= 50 && d1 <= 100, "retry 1 waits 50-100 ms, got " + d1);
      assertTrue(d3 >= 200 && d3 <= 400, "retry 3 waits 200-400 ms, got " + d3);
      assertTrue(d9 >= 500 && d9 <= 1000, "capped at 1000 ms, got " + d9);
      assertEquals(d3, b.delayMs(3, OptionalLong.empty(), seed), "jitter is a function of the seed");
    }
    assertEquals(2500, b.delayMs(1, OptionalLong.of(2500), 1), "Retry-After wins over the cap");
    ZonedDateTime now = ZonedDateTime.of(2026, 11, 27, 3, 0, 0, 0, ZoneOffset.UTC);
    assertEquals(OptionalLong.of(2000), Backoff.parseRetryAfter("2", now));
    assertEquals(OptionalLong.of(30_000), Backoff.parseRetryAfter("Fri, 27 Nov 2026 03:00:30 GMT", now));
    assertEquals(OptionalLong.empty(), Backoff.parseRetryAfter("soon", now));
  }
}
