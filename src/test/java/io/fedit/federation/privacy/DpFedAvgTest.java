package io.fedit.federation.privacy;

import static io.fedit.federation.update.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fedit.federation.sampling.ClientSampler;
import io.fedit.federation.server.ServerSgd;
import io.fedit.federation.strategy.DeltaStrategy;
import io.fedit.federation.strategy.Strategy;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DP-FedAvg's clipping and noised mean, with a fixed "noise" source so the numbers can be checked by hand. */
class DpFedAvgTest {
  @Test
  void clippingScalesTheDeltaToTheBoundAndKeepsSmallOnes() {
    AdapterWeights x = filled(1f);
    // Delta 0.5 on each of the 10 values: norm sqrt(10 · 0.25) = 1.5811.
    DeltaClipping.Clipped big = DeltaClipping.clip(x, filled(1.5f), 1.0);
    assertEquals(Math.sqrt(2.5), big.preClipNorm(), 1e-12);
    assertEquals(1.0, big.adapter().distanceTo(x), 1e-6);
    for (float v : big.adapter().get(B).values()) assertEquals(1 + 0.5 / Math.sqrt(2.5), v, 1e-6);
    DeltaClipping.Clipped small = DeltaClipping.clip(x, filled(1.1f), 1.0);
    assertEquals(filled(1.1f), small.adapter(), "under the bound: unchanged");
  }

  @Test
  void noiseGoesOnTheSumAndTheMeanDividesBySampledClients() {
    // C = 1, sigma = 2; the "noise" source returns 0.25 every time, so the noise on the sum is 2 · 1 · 0.25 = 0.5.
    DpNoisedDelta dp = new DpNoisedDelta(1.0, 2.0, false, () -> 0.25);
    AdapterWeights x = filled(0f);
    // c1 moved 0.1 per value (norm sqrt(10)·0.1 = 0.316 < 1: kept); c2 moved 1 per value (norm sqrt(10): clipped
    // to 1, i.e. 1/sqrt(10) per value). Three clients were sampled (one failed): the mean divides by 3.
    List<ClientUpdate> accepted = List.of(update(1, "c1", 5, filled(0.1f)), update(1, "c2", 50, filled(1f)));
    AdapterWeights d = dp.meanDelta(x, UpdateSet.inMemory(accepted), 3);
    double expected = (0.1 + 1 / Math.sqrt(10) + 0.5) / 3; // example counts play no part
    for (float v : d.get(A).values()) assertEquals(expected, v, 1e-6);
    for (float v : d.get(B).values()) assertEquals(expected, v, 1e-6);
  }

  @Test
  void underFfaLoraTheFrozenAGetsNoNoiseAndStaysExact() {
    DpNoisedDelta dp = new DpNoisedDelta(1.0, 2.0, true, () -> 0.25);
    AdapterWeights x = adapter(new float[] {0.3f, -0.7f, 0.1f, 0.9f}, new float[6]);
    AdapterWeights moved = adapter(new float[] {0.3f, -0.7f, 0.1f, 0.9f}, new float[] {.1f, .1f, .1f, .1f, .1f, .1f});
    Strategy s = new DeltaStrategy("fedavg", new ClientSampler(1, 1, 1), dp, new ServerSgd(1.0));
    AdapterWeights next = s.aggregate(1, x, List.of(update(1, "c1", 1, moved)), List.of()).global();
    assertArrayEquals(x.get(A).values(), next.get(A).values());
    assertEquals(0.1 + 0.5, next.get(B).values()[0], 1e-6);
  }

  @Test
  void productionNoiseIsGaussianWithTheConfiguredScale() {
    // SecureRandom noise, many coordinates: the sample std of (Δ̃ − true mean) is sigma·C/m within a few %.
    DpNoisedDelta dp = new DpNoisedDelta(0.5, 3.0, false, GaussianSource.secure());
    int n = 20_000;
    java.util.Map<String, AdapterWeights.Tensor> m = new java.util.LinkedHashMap<>();
    m.put(B, new AdapterWeights.Tensor(new long[] {n}, new float[n]));
    AdapterWeights x = new AdapterWeights(m);
    AdapterWeights d = dp.meanDelta(x, UpdateSet.inMemory(List.of(update(1, "c1", 1, x))), 4);
    double s2 = 0;
    for (float v : d.get(B).values()) s2 += (double) v * v;
    assertEquals(3.0 * 0.5 / 4, Math.sqrt(s2 / n), 0.05 * 3.0 * 0.5 / 4);
  }
}
