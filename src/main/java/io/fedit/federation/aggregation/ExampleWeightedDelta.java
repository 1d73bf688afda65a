package io.fedit.federation.aggregation;

import io.fedit.federation.update.AdapterMath;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;

/**
 * FedIT's weighting on deltas: Δ = Σ n_k (θ_k − x) / Σ n_k, accumulated in double in client id order and
 * rounded to float32 once. A tensor that no client changed (FFA-LoRA's frozen A) gets Δ = 0 exactly, so
 * x + lr · Δ leaves it bit-identical.
 */
public final class ExampleWeightedDelta implements DeltaAggregator {
  @Override
  public AdapterWeights meanDelta(AdapterWeights global, UpdateSet accepted, int sampled) {
    if (accepted.isEmpty()) throw new IllegalArgumentException("no update to average");
    double[] sum = accepted.reduce(global, CoordinateRule.weightedDeltaSum(accepted.exampleWeights()));
    return AdapterMath.unflatten(global, sum, (t, i, v) -> v);
  }

  @Override
  public String describe(UpdateSet accepted, int sampled) {
    return "example-weighted mean of " + accepted.size() + " deltas";
  }
}
