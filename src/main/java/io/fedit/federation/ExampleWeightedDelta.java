package io.fedit.federation;

import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FedIT's weighting on deltas: Δ = Σ n_k (θ_k − x) / Σ n_k, accumulated in double in the given (client)
 * order and rounded to float32 once. A tensor that no client changed (FFA-LoRA's frozen A) gets Δ = 0
 * exactly, so x + lr · Δ leaves it bit-identical.
 */
final class ExampleWeightedDelta implements DeltaAggregator {
  @Override
  public AdapterWeights meanDelta(AdapterWeights global, List<ClientUpdate> accepted, int sampled) {
    if (accepted.isEmpty()) throw new IllegalArgumentException("no update to average");
    double total = 0;
    for (ClientUpdate u : accepted) total += u.exampleCount();
    Map<String, AdapterWeights.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, AdapterWeights.Tensor> e : global.tensors().entrySet()) {
      float[] x = e.getValue().values();
      double[] acc = new double[x.length];
      for (ClientUpdate u : accepted) {
        float[] t = u.adapter().get(e.getKey()).values();
        double w = u.exampleCount() / total;
        for (int i = 0; i < acc.length; i++) acc[i] += w * ((double) t[i] - x[i]);
      }
      float[] f = new float[acc.length];
      for (int i = 0; i < f.length; i++) f[i] = (float) acc[i];
      out.put(e.getKey(), new AdapterWeights.Tensor(e.getValue().shape().clone(), f));
    }
    return new AdapterWeights(out);
  }

  @Override
  public String describe(List<ClientUpdate> accepted, int sampled) {
    return "example-weighted mean of " + accepted.size() + " deltas";
  }
}
