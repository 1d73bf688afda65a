package io.fedit.federation.aggregation;

import io.fedit.federation.update.AdapterMath;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;

/**
 * Norm bounding (Sun et al. 2019, "Can you really backdoor federated learning?"): each client's delta is
 * scaled to L2 norm at most B before the example-weighted mean,
 * <pre>
 *   Δ = Σ_k (n_k / Σ n) · min(1, B / ||θ_k − x||) · (θ_k − x)
 * </pre>
 * The weights are not renormalised, so a clipped client just moves the mean less. The norms are those the
 * executors measured when they validated the updates; the scaling is a per-client coefficient of the weighted
 * delta sum, so it costs no extra pass over the updates.
 */
public final class NormBoundedDelta implements DeltaAggregator {
  private final double bound;

  public NormBoundedDelta(double bound) {
    if (!(bound > 0) || Double.isInfinite(bound)) throw new IllegalArgumentException("norm bound must be finite and > 0, got " + bound);
    this.bound = bound;
  }

  /** (n_k / Σ n) · min(1, B / norm_k) per update. */
  double[] coefficients(UpdateSet accepted, AdapterWeights global) {
    double[] w = accepted.exampleWeights();
    double[] norms = accepted.deltaNorms(global);
    for (int k = 0; k < w.length; k++) w[k] *= norms[k] > bound ? bound / norms[k] : 1.0;
    return w;
  }

  @Override
  public AdapterWeights meanDelta(AdapterWeights global, UpdateSet accepted, int sampled) {
    if (accepted.isEmpty()) throw new IllegalArgumentException("no update to average");
    double[] sum = accepted.reduce(global, CoordinateRule.weightedDeltaSum(coefficients(accepted, global)));
    return AdapterMath.unflatten(global, sum, (t, i, v) -> v);
  }

  @Override
  public String describe(UpdateSet accepted, int sampled) {
    return "example-weighted mean of " + accepted.size() + " deltas each bounded to norm " + bound;
  }
}
