package io.fedit.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ROUGE-L F1 on examples worked out by hand (LCS by hand; rouge-score's default tokenizer, no stemmer). */
class RougeLTest {
  @Test
  void tokenizationLowerCasesAndSplitsOnEverythingButAsciiLettersAndDigits() {
    assertEquals(List.of("don", "t", "stop", "the", "2nd", "caf", "run"), RougeL.tokens("Don't STOP -- the 2nd café-run!"));
    assertEquals(List.of(), RougeL.tokens("  ...!? "));
  }

  @Test
  void handCheckedScores() {
    // answer [the cat sat on the mat] vs reference [the cat is on the mat]: LCS = the cat on the mat = 5
    // P = 5/6, R = 5/6, F1 = 5/6
    assertEquals(5.0 / 6, RougeL.f1("The cat sat on the mat.", "the cat is on the mat"), 1e-12);
    // answer [police killed the gunman] vs reference [the gunman was killed by police]:
    // LCS = "the gunman" or "police killed"... longest in order: [police, killed]? reference order is
    // the gunman was killed by police: common subsequences "the gunman" (2), "killed" (1), "police" (1) → 2
    // P = 2/4, R = 2/6, F1 = 2 * (1/2)(1/3) / (1/2 + 1/3) = 0.4
    assertEquals(0.4, RougeL.f1("police killed the gunman", "the gunman was killed by police"), 1e-12);
    // A B C D vs A C B D: LCS 3 (A B D or A C D); P = R = 3/4
    assertEquals(0.75, RougeL.f1("a b c d", "a c b d"), 1e-12);
    // different lengths: answer [a b] vs reference [a x b y z]: LCS 2, P = 1, R = 2/5, F1 = 2*0.4/1.4
    assertEquals(0.8 / 1.4, RougeL.f1("A, b", "a x b y z"), 1e-12);
  }

  @Test
  void emptyOrDisjointTextsScoreZero() {
    assertEquals(0.0, RougeL.f1("", "the reference"));
    assertEquals(0.0, RougeL.f1("!!!", "the reference"));
    assertEquals(0.0, RougeL.f1("totally different", "the reference"));
    assertEquals(1.0, RougeL.f1("Same words.", "same WORDS"), 1e-12);
  }

  @Test
  void lcsLengthByHand() {
    assertEquals(4, RougeL.lcs(List.of("a", "b", "c", "b", "d", "a", "b"), List.of("b", "d", "c", "a", "b", "a")));
  }
}
