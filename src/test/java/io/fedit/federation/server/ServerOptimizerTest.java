package io.fedit.federation.server;

import static io.fedit.federation.update.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fedit.config.ConfigLoader;
import io.fedit.federation.aggregation.ExampleWeightedDelta;
import io.fedit.federation.sampling.ClientSampler;
import io.fedit.federation.strategy.DeltaStrategy;
import io.fedit.federation.strategy.Strategies;
import io.fedit.federation.strategy.Strategy;
import io.fedit.federation.update.AdapterMath;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Server optimizers on two clients with weights 1 and 2: expected values by hand, and in float64 from the
 * update rules of Reddi et al. 2021 (Algorithm 2) and Hsu et al. 2019 written out element by element.
 */
class ServerOptimizerTest {
  private static final ClientSampler SAMPLER = new ClientSampler(1, 1.0, 1);
  // x = 0 everywhere; client c1 (1 example) moved to 3 + i, client c2 (2 examples) to 6 − i at element i.
  private static final float[] A1 = {3, 4, 5, 6}, B1 = {3, 4, 5, 6, 7, 8};
  private static final float[] A2 = {6, 5, 4, 3}, B2 = {6, 5, 4, 3, 2, 1};

  private static List<ClientUpdate> updates(int round, AdapterWeights x, float shift) {
    return List.of(update(round, "c1", 1, plus(adapter(A1, B1), x, shift)),
        update(round, "c2", 2, plus(adapter(A2, B2), x, shift)));
  }

  /** d + x + shift element-wise: the clients move by d (+ shift) from wherever the global is. */
  private static AdapterWeights plus(AdapterWeights d, AdapterWeights x, float shift) {
    return AdapterMath.map(v -> v[0] + v[1] + shift, d, x);
  }

  /** The weighted mean delta of element i of B: (1·(3+i) + 2·(6−i)) / 3 = (15 − i) / 3, plus the shift. */
  private static double meanDeltaB(int i, double shift) {
    return (1 * (3.0 + i) + 2 * (6.0 - i)) / 3 + shift;
  }

  @Test
  void weightedMeanDeltaByHand() {
    AdapterWeights d = new ExampleWeightedDelta().meanDelta(filled(0), UpdateSet.inMemory(updates(1, filled(0), 0)), 2);
    assertArrayEquals(new float[] {5, 14f / 3, 13f / 3, 4}, d.get(A).values(), 1e-6f); // (3+12)/3, (4+10)/3, ...
    assertEquals(5f, d.get(B).values()[0]);
  }

  @Test
  void fedAvgmIsMomentumOnTheMeanDelta() {
    Strategy s = new DeltaStrategy("fedavgm", SAMPLER, new ExampleWeightedDelta(), new ServerMomentum(0.5, 0.9));
    AdapterWeights x1 = s.aggregate(1, filled(0), updates(1, filled(0), 0), List.of()).global();
    // Round 1: u = Δ = 5 at B[0]; x = 0 + 0.5 · 5 = 2.5.
    assertEquals(2.5f, x1.get(B).values()[0]);
    AdapterWeights x2 = s.aggregate(2, x1, updates(2, x1, 1), List.of()).global();
    // Round 2: Δ = 6; u = 0.9 · 5 + 6 = 10.5; x = 2.5 + 0.5 · 10.5 = 7.75.
    assertEquals(7.75f, x2.get(B).values()[0]);
    for (int i = 0; i < 6; i++) {
      double u = 0.9 * meanDeltaB(i, 0) + meanDeltaB(i, 1);
      assertEquals(0.5 * meanDeltaB(i, 0) + 0.5 * u, x2.get(B).values()[i], 1e-5, "B[" + i + "]");
    }
    assertEquals(java.util.Set.of("momentum"), s.state().keySet());
  }

  @Test
  void fedAdamFedYogiFedAdagradFollowThePaperForTwoRounds() {
    double lr = 0.1, b1 = 0.9, b2 = 0.99, tau = 1e-3;
    for (AdaptiveServerOptimizer.Kind kind : AdaptiveServerOptimizer.Kind.values()) {
      Strategy s = new DeltaStrategy("x", SAMPLER, new ExampleWeightedDelta(),
          new AdaptiveServerOptimizer(kind, lr, b1, b2, tau));
      AdapterWeights x1 = s.aggregate(1, filled(0), updates(1, filled(0), 0), List.of()).global();
      AdapterWeights x2 = s.aggregate(2, x1, updates(2, x1, -20), List.of()).global();
      for (int i = 0; i < 6; i++) {
        double m = 0, v = tau * tau, x = 0;
        double[] deltas = {meanDeltaB(i, 0), meanDeltaB(i, -20)};
        for (int t = 0; t < 2; t++) {
          double d = deltas[t];
          m = (float) (b1 * m + (1 - b1) * d); // the state is kept in float32
          v = (float) switch (kind) {
            case ADAGRAD -> v + d * d;
            case YOGI -> v - (1 - b2) * d * d * Math.signum(v - d * d);
            case ADAM -> b2 * v + (1 - b2) * d * d;
          };
          x = (float) (x + lr * m / (Math.sqrt(v) + tau));
        }
        assertEquals(x, x2.get(B).values()[i], 1e-5 * Math.max(1, Math.abs(x)), kind + " B[" + i + "]");
      }
    }
  }

  @Test
  void fedAdamFirstStepByHand() {
    Strategy s = new DeltaStrategy("fedadam", SAMPLER, new ExampleWeightedDelta(),
        new AdaptiveServerOptimizer(AdaptiveServerOptimizer.Kind.ADAM, 0.1, 0.9, 0.99, 1e-3));
    AdapterWeights x1 = s.aggregate(1, filled(0), updates(1, filled(0), 0), List.of()).global();
    // Δ = 5: m = 0.1 · 5 = 0.5; v = 0.99 · 1e-6 + 0.01 · 25 = 0.25000099; x = 0.1 · 0.5 / (0.50000099 + 0.001).
    assertEquals(0.05 / (Math.sqrt(0.25000099) + 0.001), x1.get(B).values()[0], 1e-7);
    assertEquals(0.0998003, x1.get(B).values()[0], 1e-6);
  }

  @Test
  void restoredStateContinuesBitForBit() {
    for (String name : List.of("fedavgm", "fedadam", "fedyogi", "fedadagrad")) {
      var cfg = ConfigLoader.load(null, List.of("federation.strategy=" + name, "federation.server_lr=0.3"));
      Strategy straight = Strategies.fromConfig(cfg);
      AdapterWeights x1 = straight.aggregate(1, filled(0.5f), updates(1, filled(0.5f), 0), List.of()).global();
      AdapterWeights x2 = straight.aggregate(2, x1, updates(2, x1, 0.25f), List.of()).global();

      Strategy first = Strategies.fromConfig(cfg);
      first.aggregate(1, filled(0.5f), updates(1, filled(0.5f), 0), List.of());
      Strategy resumed = Strategies.fromConfig(cfg);
      resumed.restoreState(first.state());
      assertEquals(x2, resumed.aggregate(2, x1, updates(2, x1, 0.25f), List.of()).global(), name);
      assertEquals(straight.state(), resumed.state(), name);
      assertThrows(IllegalArgumentException.class, () -> Strategies.fromConfig(cfg).restoreState(
          java.util.Map.of("other", filled(0))), name);
    }
  }

  @Test
  void badServerAndPrivacySettingsAreRefusedNamingTheKey() {
    for (String[] bad : new String[][] {{"federation.server_lr=0", "federation.server_lr"},
        {"federation.server_momentum=1.0", "federation.server_momentum"},
        {"federation.server_beta2=-0.1", "federation.server_beta2"},
        {"federation.server_tau=0", "federation.server_tau"},
        {"federation.strategy=fedsgd", "federation.strategy"},
        {"privacy.delta=1.5", "privacy.delta"}, {"privacy.clip_norm=0", "privacy.clip_norm"},
        {"privacy.noise_multiplier=-1", "privacy.noise_multiplier"},
        {"privacy.target_epsilon=-2", "privacy.target_epsilon"}}) {
      var e = assertThrows(io.fedit.config.ConfigException.class, () -> ConfigLoader.load(null, List.of(bad[0])));
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
    var e = assertThrows(io.fedit.config.ConfigException.class, () -> ConfigLoader.load(null,
        List.of("federation.strategy=fedprox", "federation.prox_mu=0")));
    assertTrue(e.getMessage().contains("federation.prox_mu"), e.getMessage());
  }
}
