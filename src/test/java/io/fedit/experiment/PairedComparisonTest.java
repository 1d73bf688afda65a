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
}
