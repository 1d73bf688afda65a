package io.fedit.federation.update;

import io.fedit.client.TrainMetrics;
import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small adapters and updates whose numbers can be checked by hand (for the tests of every federation package). */
public final class Fixtures {
  public static final String A = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
  public static final String B = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";

  private Fixtures() {}

  /** A is 2×2, B is 3×2 (shape only matters for layout checks). */
  public static AdapterWeights adapter(float[] a, float[] b) {
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    m.put(A, new AdapterWeights.Tensor(new long[] {2, 2}, a));
    m.put(B, new AdapterWeights.Tensor(new long[] {3, 2}, b));
    return new AdapterWeights(m);
  }

  public static AdapterWeights filled(float v) {
    float[] a = new float[4];
    float[] b = new float[6];
    java.util.Arrays.fill(a, v);
    java.util.Arrays.fill(b, v);
    return adapter(a, b);
  }

  public static TrainMetrics metrics(long examples, double meanLoss) {
    return new TrainMetrics(examples, examples * 10, 2, meanLoss + 0.5, meanLoss - 0.5, meanLoss, 100.0, 1000,
        new float[] {(float) meanLoss + 0.5f, (float) meanLoss - 0.5f});
  }

  public static ClientUpdate update(int round, String client, long n, AdapterWeights a) {
    return new ClientUpdate(round, client, 0, n, a, metrics(n, 2.0));
  }
}
