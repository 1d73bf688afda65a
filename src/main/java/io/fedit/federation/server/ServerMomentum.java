package io.fedit.federation.server;

import io.fedit.federation.update.AdapterMath;
import io.fedit.lora.AdapterWeights;
import java.util.Map;

/**
 * FedAvgM (Hsu, Qi and Brown 2019): server momentum on the mean client delta.
 * <pre>
 *   u_t = beta · u_{t−1} + Δ_t      (u_0 = 0)
 *   x_{t+1} = x_t + lr · u_t
 * </pre>
 * Equivalent to Flower's FedAvgM with pseudo-gradient −Δ. With beta = 0 and lr = 1 it is FedAvg.
 * State: {@code momentum} (u, float32).
 */
public final class ServerMomentum implements ServerOptimizer {
  static final String MOMENTUM = "momentum";
  private final double lr;
  private final double beta;
  private AdapterWeights u; // null before the first step

  public ServerMomentum(double lr, double beta) {
    this.lr = lr;
    this.beta = beta;
  }

  @Override
  public AdapterWeights step(AdapterWeights global, AdapterWeights meanDelta) {
    AdapterWeights prev = u != null ? u : AdapterMath.filled(meanDelta, 0f);
    u = AdapterMath.map(v -> beta * v[0] + v[1], prev, meanDelta);
    // From the stored float momentum, so a restored run computes from the same bits.
    return AdapterMath.map(v -> v[0] + lr * v[1], global, u);
  }

  @Override
  public Map<String, AdapterWeights> state() {
    return u == null ? Map.of() : Map.of(MOMENTUM, u);
  }

  @Override
  public void restoreState(Map<String, AdapterWeights> state) {
    if (!state.keySet().equals(java.util.Set.of(MOMENTUM)) && !state.isEmpty()) {
      throw new IllegalArgumentException("fedavgm state must hold only '" + MOMENTUM + "', got " + state.keySet());
    }
    u = state.get(MOMENTUM);
  }
}
