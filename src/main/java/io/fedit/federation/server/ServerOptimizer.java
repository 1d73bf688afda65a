package io.fedit.federation.server;

import io.fedit.lora.AdapterWeights;
import java.util.Map;

/**
 * The server's update rule, applied to the round's aggregated client delta Δ = Σ w_k (θ_k − x) / Σ w_k
 * (or its noised DP version): x ← step(x, Δ). It consumes only that mean, never the list of updates, so
 * the mean may come from anywhere (a driver-side loop today, a distributed reduction tomorrow).
 *
 * <p>State (momentum, moments) is held as float32 adapter-shaped tensors, exactly what the checkpoint
 * stores: after a restore the next step computes from the same bits as an uninterrupted run.
 */
public interface ServerOptimizer {
  /** The new global adapter; layouts of {@code global} and {@code meanDelta} are equal. */
  AdapterWeights step(AdapterWeights global, AdapterWeights meanDelta);

  /** State after the last step (name → tensors); empty when stateless or before the first step. */
  Map<String, AdapterWeights> state();

  /** Puts back what {@link #state()} returned. */
  void restoreState(Map<String, AdapterWeights> state);
}
