package io.fedit.federation.aggregation;

import static io.fedit.federation.update.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fedit.federation.update.ClientUpdate;
import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WeightedAverageTest {
  @Test
  void twoClientsWithWeightsOneAndTwo() {
    // (1·[1,2,3,4] + 2·[4,5,6,7]) / 3 = [3,4,5,6]; (1·0 + 2·3) / 3 = 2
    AdapterWeights x = adapter(new float[] {1, 2, 3, 4}, new float[6]);
    AdapterWeights y = adapter(new float[] {4, 5, 6, 7}, new float[] {3, 3, 3, 3, 3, 3});
    AdapterWeights avg = WeightedAverage.average(List.of(x, y), new double[] {1, 2});
    assertArrayEquals(new float[] {3, 4, 5, 6}, avg.get(A).values());
    assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, avg.get(B).values());
    assertArrayEquals(new long[] {2, 2}, avg.get(A).shape());
    assertEquals(List.of(A, B), List.copyOf(avg.tensors().keySet()));
  }

  @Test
  void byExampleCountWeightsByN() {
    ClientUpdate u1 = update(1, "c1", 10, filled(0f));
    ClientUpdate u2 = update(1, "c2", 30, filled(4f));
    // 10/40 · 0 + 30/40 · 4 = 3
    AdapterWeights avg = WeightedAverage.byExampleCount(List.of(u1, u2));
    for (float v : avg.get(A).values()) assertEquals(3f, v);
  }

  @Test
  void singleAdapterIsReturnedUnchanged() {
    AdapterWeights x = adapter(new float[] {0.1f, -0.2f, 0.3f, 1e-7f}, new float[] {1, 2, 3, 4, 5, 6});
    assertEquals(x, WeightedAverage.average(List.of(x), new double[] {7}));
  }

  @Test
  void accumulatesInDouble() {
    // Float partial sums near 2^24/3 have a spacing of 0.5, so the 1/3 would be lost; double keeps it.
    AdapterWeights big = filled(16777216f); // 2^24
    AdapterWeights one = filled(1f);
    AdapterWeights negBig = filled(-16777216f);
    AdapterWeights avg = WeightedAverage.average(List.of(big, one, negBig), new double[] {1, 1, 1});
    assertEquals(1f / 3f, avg.get(A).values()[0], 1e-7);
  }

  @Test
  void rejectsMismatchedLayouts() {
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    m.put(A, new AdapterWeights.Tensor(new long[] {4, 1}, new float[4]));
    m.put(B, new AdapterWeights.Tensor(new long[] {3, 2}, new float[6]));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WeightedAverage.average(List.of(filled(1), new AdapterWeights(m)), new double[] {1, 1}));
    assertTrue(e.getMessage().contains("adapter 1") && e.getMessage().contains(A), e.getMessage());
  }

  @Test
  void rejectsBadWeights() {
    assertThrows(IllegalArgumentException.class, () -> WeightedAverage.average(List.of(filled(1)), new double[] {0}));
    assertThrows(IllegalArgumentException.class,
        () -> WeightedAverage.average(List.of(filled(1)), new double[] {Double.NaN}));
    assertThrows(IllegalArgumentException.class, () -> WeightedAverage.average(List.of(), new double[] {}));
    assertThrows(IllegalArgumentException.class,
        () -> WeightedAverage.average(List.of(filled(1)), new double[] {1, 2}));
  }
}
