package io.fedit.federation.server;

import io.fedit.federation.update.AdapterMath;
import io.fedit.lora.AdapterWeights;
import java.util.Map;

/** x ← x + lr · Δ. With lr = 1 this is FedAvg expressed on deltas (x + mean(θ_k − x) = mean θ_k). Stateless. */
public final class ServerSgd implements ServerOptimizer {
  private final double lr;

  public ServerSgd(double lr) {
    this.lr = lr;
  }

  @Override
  public AdapterWeights step(AdapterWeights global, AdapterWeights meanDelta) {
    return AdapterMath.map(v -> v[0] + lr * v[1], global, meanDelta);
  }

  @Override
  public Map<String, AdapterWeights> state() {
    return Map.of();
  }

  @Override
  public void restoreState(Map<String, AdapterWeights> state) {
    if (!state.isEmpty()) throw new IllegalArgumentException("server SGD keeps no state, got " + state.keySet());
  }
}
