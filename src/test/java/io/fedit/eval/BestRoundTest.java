package io.fedit.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one rule both the train console and the report name the best round by. */
class BestRoundTest {
  private static EvalMetricsRow row(int round, String split, String category, double loss) {
    return new EvalMetricsRow(round, round == 0 ? "base" : String.format("round-%05d", round), split, category, 10,
        9, 100, loss, 300, loss, Double.NaN, 1);
  }

  @Test
  void theSplitIsTheRunsThenAPreferredOneThenTheFirstByName() {
    assertEquals(Optional.of("validation"), BestRound.split(List.of("dolly_test", "validation", "heldout"), "validation"));
    assertEquals(Optional.of("heldout"), BestRound.split(List.of("dolly_test", "heldout", "a"), "validation"),
        "eval.split not evaluated: heldout before dolly_test");
    assertEquals(Optional.of("dolly_test"), BestRound.split(List.of("vicuna80", "dolly_test"), null));
    assertEquals(Optional.of("alpha"), BestRound.split(List.of("zeta", "alpha"), null));
    assertEquals(Optional.empty(), BestRound.split(List.of(), "heldout"));
  }

  @Test
  void theLowestWholeSplitResponseLossWinsAndTiesGoToTheEarlierRound() {
    List<EvalMetricsRow> rows = List.of(row(0, "heldout", "ALL", 3.0), row(1, "heldout", "ALL", 2.5),
        row(2, "heldout", "ALL", 2.5), row(3, "heldout", "ALL", Double.NaN), row(3, "heldout", "open_qa", 1.0),
        row(4, "dolly_test", "ALL", 0.5), row(5, "heldout", "ALL", Double.POSITIVE_INFINITY));
    assertEquals(1, BestRound.of(rows, null).orElseThrow().round(), "per-category rows, NaN and other splits ignored");
    assertEquals(4, BestRound.of(rows, "dolly_test").orElseThrow().round());
    assertEquals(Optional.empty(), BestRound.of(List.of(row(1, "heldout", "ALL", Double.NaN)), "heldout"));
    assertEquals(Optional.empty(), BestRound.of(List.of(row(1, "heldout", "open_qa", 2.0)), "heldout"),
        "no whole-split row on the chosen split");
  }
}
