package io.fedit.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Paired comparisons by hand: a shift shared by every record cancels, so small real differences separate. */
class PairedComparisonTest {
  /** Records whose difficulty varies a lot; {@code offset} nats per token added for one model. */
  private static PairedComparison.Scores model(long[] tokens, double[] difficulty, double offset) {
    double[] nll = new double[tokens.length];
    for (int i = 0; i < tokens.length; i++) nll[i] = tokens[i] * (difficulty[i] + offset);
    return new PairedComparison.Scores(tokens, nll);
  }

  @Test
  void smallDifferencesSeparateWhenPairedThoughSingleIntervalsOverlap() {
    Random r = new Random(1);
    int n = 200;
    long[] tokens = new long[n];
    double[] difficulty = new double[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = 5 + r.nextInt(50);
      difficulty[i] = 3 + 2 * r.nextGaussian();
    }
    PairedComparison.Scores fedit = model(tokens, difficulty, -0.03);
    PairedComparison.Scores central = model(tokens, difficulty, -0.30);
    List<PairedComparison.Scores> local = List.of(model(tokens, difficulty, 0.01), model(tokens, difficulty, -0.01));
    PairedComparison.Result c = PairedComparison.of(fedit, local, central, 500, 3);
    assertEquals(-0.03, c.diff(), 1e-9, "fedit - mean local = -0.03 - 0");
    assertEquals(0.1, c.closed(), 1e-9, "closes 0.03 of a 0.30 gap");
    // Every record moves by the same offset, so the paired intervals are (numerically) points.
    assertTrue(c.diffHigh() < 0 && c.diffLow() <= c.diff() && c.diff() <= c.diffHigh(), c.describe());
    assertEquals(0.1, c.closedLow(), 1e-9);
    // The unpaired interval of fedit alone is far wider than the difference: it would hide it.
    double[] alone = Bootstrap.interval95(fedit.tokens(), fedit.nll(), 500, 3);
    assertTrue(alone[1] - alone[0] > 0.1, "single-arm interval width " + (alone[1] - alone[0]));
  }

  @Test
  void seedsArePooledByAveragingTheirLossesAndResampledWithinEachSeed() {
    long[] tokens = {10, 20, 30, 40};
    double[] difficulty = {2.0, 3.0, 4.0, 5.0};
    // Seed A: fedit -0.10 vs local 0, centralized -0.20 (closes 50%); seed B: fedit -0.30, centralized -0.40 (75%).
    PairedComparison.Arms a = new PairedComparison.Arms(model(tokens, difficulty, -0.10),
        List.of(model(tokens, difficulty, 0.0)), model(tokens, difficulty, -0.20));
    long[] tokensB = {5, 5, 5};
    double[] difficultyB = {1.0, 2.0, 6.0};
    PairedComparison.Arms b = new PairedComparison.Arms(model(tokensB, difficultyB, -0.30),
        List.of(model(tokensB, difficultyB, 0.1), model(tokensB, difficultyB, -0.1)), model(tokensB, difficultyB, -0.40));
    PairedComparison.Result pooled = PairedComparison.of(List.of(a, b), 300, 9);
    assertEquals(-0.20, pooled.diff(), 1e-9, "mean of -0.10 and -0.30");
    assertEquals(0.20 / 0.30, pooled.closed(), 1e-9, "(L - F) / (L - C) of the seed means: 0.20 / 0.30");
    // Each record of a seed moves by that seed's offset, so every resample gives the point values.
    assertEquals(-0.20, pooled.diffLow(), 1e-9);
    assertEquals(-0.20, pooled.diffHigh(), 1e-9);
    // One seed alone is the single-seed comparison with the same draws.
    PairedComparison.Result one = PairedComparison.of(List.of(a), 300, 9);
    PairedComparison.Result direct = PairedComparison.of(a.fedit(), a.local(), a.central(), 300, 9);
    assertEquals(direct, one);
    assertEquals(0.5, one.closed(), 1e-9);
  }

  @Test
  void armsScoredOnOtherRecordsAreRefused() {
    long[] t3 = {1, 1, 1}, t2 = {1, 1};
    double[] d3 = {1, 1, 1}, d2 = {1, 1};
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new PairedComparison.Arms(
        model(t3, d3, 0), List.of(model(t2, d2, 0)), model(t3, d3, 0)));
  }
}
