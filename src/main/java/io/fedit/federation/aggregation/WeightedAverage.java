package io.fedit.federation.aggregation;

import io.fedit.federation.update.ClientUpdate;
import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregation rule on its own, with no I/O and no strategy around it: the weighted mean
 * Σ_k w_k · θ_k / Σ_k w_k of adapters with identical layout. FedIT uses w_k = n_k (the client's example
 * count). Sums are accumulated in double and rounded to float once at the end, so the result does not
 * depend on float rounding of partial sums (and not on client order beyond double rounding).
 */
public final class WeightedAverage {
  private WeightedAverage() {}

  /**
   * @param adapters at least one adapter; all with the names (same order) and shapes of the first
   * @param weights  one finite weight > 0 per adapter
   */
  public static AdapterWeights average(List<AdapterWeights> adapters, double[] weights) {
    if (adapters.isEmpty()) throw new IllegalArgumentException("nothing to average: no adapters");
    if (adapters.size() != weights.length) {
      throw new IllegalArgumentException(adapters.size() + " adapters but " + weights.length + " weights");
    }
    double total = 0;
    for (int k = 0; k < weights.length; k++) {
      if (!(weights[k] > 0) || !Double.isFinite(weights[k])) {
        throw new IllegalArgumentException("weight " + k + " must be finite and > 0, got " + weights[k]);
      }
      total += weights[k];
    }
    AdapterWeights first = adapters.get(0);
    for (int k = 1; k < adapters.size(); k++) {
      String mismatch = first.layoutMismatch(adapters.get(k));
      if (mismatch != null) throw new IllegalArgumentException("adapter " + k + " does not match adapter 0: " + mismatch);
    }
    Map<String, AdapterWeights.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, AdapterWeights.Tensor> e : first.tensors().entrySet()) {
      double[] acc = new double[e.getValue().values().length];
      for (int k = 0; k < adapters.size(); k++) {
        float[] v = adapters.get(k).get(e.getKey()).values();
        double w = weights[k] / total;
        for (int i = 0; i < acc.length; i++) acc[i] += w * v[i];
      }
      float[] f = new float[acc.length];
      for (int i = 0; i < acc.length; i++) f[i] = (float) acc[i];
      out.put(e.getKey(), new AdapterWeights.Tensor(e.getValue().shape().clone(), f));
    }
    return new AdapterWeights(out);
  }

  /** FedIT's rule: weight each update by its example count n_k / Σ n_k. */
  public static AdapterWeights byExampleCount(List<ClientUpdate> updates) {
    double[] w = new double[updates.size()];
    for (int k = 0; k < w.length; k++) w[k] = updates.get(k).exampleCount();
    return average(updates.stream().map(ClientUpdate::adapter).toList(), w);
  }
}
