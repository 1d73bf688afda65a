package io.fedit.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.eval.RecordScore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Per-category and pooled comparisons from hand-made record scores (pure logic; ExperimentCommandTest checks them
 * on a real experiment against Spark SQL over the stored record scores).
 */
class ComparisonsTest {
  /** Two categories of two records each; every model's per-token loss is {@code base + offset(category)}. */
  private static void model(List<RecordScoresTable.Row> out, String arm, String member, double offA, double offB) {
    long id = 0;
    for (String c : List.of("a", "b")) {
      for (int i = 0; i < 2; i++) {
        long tokens = 10 + 10 * i;
        double perToken = 3.0 + i + (c.equals("a") ? offA : offB);
        out.add(new RecordScoresTable.Row(arm, member, "heldout",
            new RecordScore(id++, c, tokens, tokens * perToken, tokens + 5, (tokens + 5) * 4.0, null, null)));
      }
    }
  }

  private static List<RecordScoresTable.Row> seed(double feditB) {
    List<RecordScoresTable.Row> rows = new ArrayList<>();
    model(rows, ExperimentRow.BASE, "", 1.0, 1.0);
    model(rows, ExperimentRow.LOCAL_ONLY, "client-1", 0.1, 0.1);
    model(rows, ExperimentRow.LOCAL_ONLY, "client-2", -0.1, -0.1);
    model(rows, ExperimentRow.CENTRALIZED, "", -0.2, -0.2);
    model(rows, ExperimentRow.FEDIT, "", -0.18, feditB); // category a: 90% of the gap closed
    return rows;
  }

  private static Comparisons.Row find(List<Comparisons.Row> rows, String category, Long seed) {
    return rows.stream().filter(r -> r.category().equals(category) && java.util.Objects.equals(r.seed(), seed))
        .findFirst().orElseThrow();
  }

  @Test
  void perCategoryAndPooledVerdicts() {
    List<Comparisons.Row> rows = Comparisons.compute(Map.of(1L, seed(-0.05), 2L, seed(0.03)), 200);
    // 2 categories + ALL, each: 2 seeds + pooled.
    assertEquals(9, rows.size());
    Comparisons.Row a = find(rows, "a", null);
    assertEquals(-0.18, a.result().diff(), 1e-9);
    assertEquals(0.9, a.result().closed(), 1e-9);
    assertEquals(Comparisons.MET, a.belowLocalOnly());
    assertEquals(Comparisons.MET, a.closes80(), "every record closes exactly 90%: the interval is a point");
    assertEquals(4, a.records(), "2 records of the category x 2 seeds");
    // Category b: seed 1 closes 25%, seed 2 is worse than local-only; pooled: 0.01 below, 5% of the gap.
    Comparisons.Row b1 = find(rows, "b", 1L);
    assertEquals(0.25, b1.result().closed(), 1e-9);
    assertEquals(Comparisons.NOT_MET, b1.closes80());
    Comparisons.Row b2 = find(rows, "b", 2L);
    assertEquals(Comparisons.NOT_MET, b2.belowLocalOnly(), "fedit above local-only on every record");
    Comparisons.Row b = find(rows, "b", null);
    assertEquals(-0.01, b.result().diff(), 1e-9);
    assertEquals(0.05, b.result().closed(), 1e-9);
    assertEquals(Comparisons.MET, b.belowLocalOnly(), "below local-only, though only just");
    assertEquals(Comparisons.NOT_MET, b.closes80());
    assertEquals(List.of(1L, 2L), b.seeds());
    assertEquals(3, rows.stream().filter(Comparisons.Row::pooled).count(), "one pooled row per category and ALL");

    // The console table shows the pooled rows only, headed by every seed.
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    Comparisons.print(rows, new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    String printed = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(printed.contains("pooled over seeds [1, 2]"), printed);
    assertEquals(3, printed.lines().filter(l -> l.matches("  (a|b|ALL) .*")).count(), printed);
  }

  @Test
  void oneSeedGivesOneRowPerCategoryAndASeedWithoutAnArmIsSkipped() {
    List<Comparisons.Row> rows = Comparisons.compute(Map.of(7L, seed(-0.05)), 100);
    assertEquals(3, rows.size());
    assertEquals(7L, rows.get(0).seed());
    List<RecordScoresTable.Row> noCentral = seed(0).stream()
        .filter(r -> !r.arm().equals(ExperimentRow.CENTRALIZED)).toList();
    assertNull(Comparisons.arms(noCentral, "heldout", "a", 3));
  }

  @Test
  void modelsScoredOnOtherRecordsAreAnError() {
    List<RecordScoresTable.Row> rows = new ArrayList<>(seed(0));
    rows.removeIf(r -> r.arm().equals(ExperimentRow.FEDIT) && r.score().recordId() == 0);
    rows.add(new RecordScoresTable.Row(ExperimentRow.FEDIT, "", "heldout",
        new RecordScore(99, "a", 10, 30, 15, 60, null, null)));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Comparisons.compute(Map.of(5L, rows), 10));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("seed 5"), e.getMessage());
  }
}
