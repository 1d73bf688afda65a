package io.fedit.federation.aggregation;

import static io.fedit.federation.update.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fedit.federation.attack.AttackSimulation;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The coordinate rules and the robust aggregators on vectors small enough to check by hand. */
class CoordinateRuleTest {
  private static final float[] X = {1, 2, 3};
  /** Five clients' values at three coordinates; deltas to X are written next to them. */
  private static final float[][] V = {
      {2, 2, 3}, //  1, 0, 0
      {4, 1, 3}, //  3, -1, 0
      {0, 2, 13}, // -1, 0, 10
      {1, 6, 3}, //  0, 4, 0
      {-9, 2, 2}}; // -10, 0, -1

  @Test
  void weightedDeltaSumByHand() {
    double[] r = CoordinateRule.weightedDeltaSum(new double[] {0.5, 0.25, 0, 0, 0.25}).apply(V, X);
    // coordinate 0: 0.5·1 + 0.25·3 + 0.25·(−10) = −1.25; 1: 0.25·(−1) = −0.25; 2: 0.25·(−1) = −0.25
    assertArrayEquals(new double[] {-1.25, -0.25, -0.25}, r, 0);
  }

  @Test
  void weightedSumOfAdaptersByHand() {
    double[] r = CoordinateRule.weightedSum(new double[] {1, 0, 0, 0, 1}).apply(V, X);
    assertArrayEquals(new double[] {-7, 4, 5}, r, 0);
  }

  @Test
  void medianOfDeltasByHand() {
    // sorted deltas per coordinate: {-10,-1,0,1,3} → 0; {-1,0,0,0,4} → 0; {-1,0,0,0,10} → 0
    assertArrayEquals(new double[] {0, 0, 0}, CoordinateRule.median().apply(V, X), 0);
    // four clients (drop the last): {-1,0,1,3} → 0.5; {-1,0,0,4} → 0; {0,0,0,10} → 0
    float[][] four = {V[0], V[1], V[2], V[3]};
    assertArrayEquals(new double[] {0.5, 0, 0}, CoordinateRule.median().apply(four, X), 0);
  }

  @Test
  void trimmedMeanOfDeltasByHand() {
    // beta 0.2 of 5 clients drops floor(1.0) = 1 at each end: coordinate 0 keeps {-1,0,1} → 0;
    // coordinate 1 keeps {0,0,0} → 0; coordinate 2 keeps {0,0,0} → 0
    assertArrayEquals(new double[] {0, 0, 0}, CoordinateRule.trimmedMean(0.2).apply(V, X), 0);
    // beta 0.1 drops floor(0.5) = 0: the plain mean of the deltas: (1+3−1+0−10)/5 = −1.4, 3/5 = 0.6, 9/5 = 1.8
    assertArrayEquals(new double[] {-1.4, 0.6, 1.8}, CoordinateRule.trimmedMean(0.1).apply(V, X), 1e-12);
    assertEquals(2, CoordinateRule.trimCount(0.4, 5));
    assertThrows(IllegalArgumentException.class, () -> CoordinateRule.trimmedMean(0.5));
  }

  @Test
  void streamingGivesTheSameBitsAsAllAtOnce() {
    CoordinateRule r = CoordinateRule.weightedDeltaSum(new double[] {0.1, 0.2, 0.3, 0.15, 0.25});
    assertArrayEquals(r.apply(V, X), r.applyStreaming(V.length, k -> V[k], X), 0);
    CoordinateRule m = CoordinateRule.median();
    assertArrayEquals(m.apply(V, X), m.applyStreaming(V.length, k -> V[k], X), 0);
  }

  @Test
  void medianStrategyIgnoresOneScaledAttacker() {
    // Three honest clients move every value by +0.1, +0.2, +0.3; an attacker by −10 · 0.2 = −2.
    List<ClientUpdate> us = List.of(update(1, "a", 10, filled(0.1f)), update(1, "b", 10, filled(0.2f)),
        update(1, "c", 10, filled(0.3f)), update(1, "m", 10, filled(-2f)));
    AdapterWeights median = RobustDelta.median().meanDelta(filled(0), UpdateSet.inMemory(us), 4);
    // sorted {−2, 0.1, 0.2, 0.3}: (0.1 + 0.2) / 2 = 0.15 (in double, from float inputs)
    assertEquals((float) (((double) 0.1f + 0.2f) / 2), median.get(B).values()[0]);
    AdapterWeights mean = new ExampleWeightedDelta().meanDelta(filled(0), UpdateSet.inMemory(us), 4);
    assertTrue(mean.get(B).values()[0] < -0.3f, "the plain mean is dragged negative");
  }

  @Test
  void normBoundingScalesOnlyLongDeltasBeforeTheWeightedMean() {
    // 10 values per adapter: a delta of v per value has norm v·sqrt(10). Bound 1: client a (0.1/value, norm
    // 0.316) is kept, client b (1/value, norm 3.162) is scaled by 1/sqrt(10). Weights 1:3 by example count.
    List<ClientUpdate> us = List.of(update(1, "a", 1, filled(0.1f)), update(1, "b", 3, filled(1f)));
    AdapterWeights d = new NormBoundedDelta(1.0).meanDelta(filled(0), UpdateSet.inMemory(us), 2);
    double expected = 0.25 * 0.1f + 0.75 * (1 / Math.sqrt(10));
    for (float v : d.get(A).values()) assertEquals(expected, v, 1e-7);
  }

  @Test
  void krumPicksTheUpdateNearestItsNeighboursByHand() {
    // 10 values per adapter, deltas 0.25, 0.5, 1.0, 0.75 per value and an attacker at −8 (all exact in binary).
    // Squared distances / 10: a-b 0.0625, a-d 0.25, a-c 0.5625, b-d 0.0625, b-c 0.25, c-d 0.0625, m-any ≥ 68.
    List<ClientUpdate> four = List.of(update(1, "a", 1, filled(0.25f)), update(1, "b", 1, filled(0.5f)),
        update(1, "c", 1, filled(1f)), update(1, "m", 1, filled(-8f)));
    // K = 4: f = 1 needs K ≥ 5, so f is lowered to 0 and each score sums the 2 nearest: a 0.625 + 5.625,
    // b 0.625 + 2.5, c 2.5 + 5.625 → b.
    KrumDelta krum = new KrumDelta(1);
    assertEquals(0, krum.effectiveByzantine(4));
    AdapterWeights d = krum.meanDelta(filled(0), UpdateSet.inMemory(four), 4);
    assertEquals(0.5f, d.get(A).values()[0]);
    assertTrue(krum.describe(UpdateSet.inMemory(four), 4).contains("chose client b"));
    // K = 5 with d: f = 1, 2 nearest: a 0.625 + 2.5, b 0.625 + 0.625, c 0.625 + 2.5, d 0.625 + 0.625 → b (first).
    List<ClientUpdate> five = List.of(four.get(0), four.get(1), four.get(2), update(1, "d", 1, filled(0.75f)),
        four.get(3));
    assertEquals(1, krum.effectiveByzantine(5));
    assertEquals(0.5f, krum.meanDelta(filled(0), UpdateSet.inMemory(five), 5).get(B).values()[3]);
    double[] dist = UpdateSet.inMemory(five).squaredDistances(filled(0));
    assertEquals(10 * 0.0625, dist[0 * 5 + 1], 1e-12);
    assertEquals(dist[2 * 5 + 3], dist[3 * 5 + 2]);
    assertEquals(0, dist[4 * 5 + 4]);
  }

  @Test
  void attackScalesTheDeltaAroundTheGlobal() {
    AdapterWeights poisoned = AttackSimulation.poison(filled(1f), filled(1.5f), -10);
    for (float v : poisoned.get(A).values()) assertEquals(1 - 10 * 0.5, v, 0);
  }
}
