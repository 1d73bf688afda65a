package io.fedit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which rounds are evaluated and which also answer; invalid eval settings name their key. */
class EvalSectionTest {
  private static EvalSection eval(String... overrides) {
    return ConfigLoader.load(null, List.of(overrides)).eval();
  }

  private static List<Integer> rounds(java.util.function.IntPredicate p) {
    return IntStream.rangeClosed(0, 5).filter(p).boxed().toList();
  }

  @Test
  void defaultsEvaluateEveryRoundAndAnswerForTheBaseModelAndTheLastRound() {
    EvalSection e = eval();
    assertEquals("context", e.truncate());
    assertEquals(List.of(1, 2, 3, 4, 5), rounds(r -> r > 0 && e.evaluatesRound(r, 5)));
    assertEquals(List.of(0, 5), rounds(r -> e.generatesRound(r, 5)));
  }

  @Test
  void cadences() {
    EvalSection e = eval("eval.every_rounds=2", "eval.generate_every_rounds=2");
    assertEquals(List.of(2, 4, 5), rounds(r -> r > 0 && e.evaluatesRound(r, 5)), "every 2nd and the last");
    assertEquals(List.of(0, 2, 4, 5), rounds(r -> e.generatesRound(r, 5)));
    EvalSection off = eval("eval.every_rounds=0");
    assertEquals(List.of(), rounds(r -> r > 0 && off.evaluatesRound(r, 5)));
    EvalSection noAnswers = eval("eval.max_new_tokens=0");
    assertEquals(List.of(), rounds(r -> noAnswers.generatesRound(r, 5)));
    assertTrue(!eval("eval.vicuna_path=").vicuna());
  }

  @Test
  void invalidValuesNameTheirKey() {
    ConfigException t = assertThrows(ConfigException.class, () -> eval("eval.truncate=middle"));
    assertTrue(t.getMessage().contains("eval.truncate"), t.getMessage());
    ConfigException n = assertThrows(ConfigException.class, () -> eval("eval.every_rounds=-1"));
    assertTrue(n.getMessage().contains("eval.every_rounds"), n.getMessage());
    ConfigException s = assertThrows(ConfigException.class, () -> eval("eval.split=a/b"));
    assertTrue(s.getMessage().contains("eval.split"), s.getMessage());
  }
}
