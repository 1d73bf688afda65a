package io.fedit.federation.server;

import io.fedit.federation.update.AdapterMath;
import io.fedit.lora.AdapterWeights;
import java.util.Map;
import java.util.Set;

/**
 * FedAdagrad, FedYogi and FedAdam, as in Algorithm 2 of Reddi et al. 2021, "Adaptive Federated
 * Optimization" (ICLR), on the mean client delta Δ_t:
 * <pre>
 *   m_t = beta1 · m_{t−1} + (1 − beta1) · Δ_t                         (m_{−1} = 0)
 *   v_t = v_{t−1} + Δ_t²                                   FedAdagrad  (v_{−1} = tau²)
 *   v_t = v_{t−1} − (1 − beta2) · Δ_t² · sign(v_{t−1} − Δ_t²)   FedYogi
 *   v_t = beta2 · v_{t−1} + (1 − beta2) · Δ_t²              FedAdam
 *   x_{t+1} = x_t + lr · m_t / (sqrt(v_t) + tau)
 * </pre>
 * No bias correction (the paper has none); v starts at tau², the smallest start the paper allows.
 * State: {@code m} and {@code v} (float32); each step reads the stored floats, so resume is bit-identical.
 */
public final class AdaptiveServerOptimizer implements ServerOptimizer {
  public enum Kind { ADAGRAD, YOGI, ADAM }

  static final String M = "m";
  static final String V = "v";
  private final Kind kind;
  private final double lr, beta1, beta2, tau;
  private AdapterWeights m; // null before the first step
  private AdapterWeights v;

  public AdaptiveServerOptimizer(Kind kind, double lr, double beta1, double beta2, double tau) {
    this.kind = kind;
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.tau = tau;
  }

  @Override
  public AdapterWeights step(AdapterWeights global, AdapterWeights meanDelta) {
    AdapterWeights mPrev = m != null ? m : AdapterMath.filled(meanDelta, 0f);
    AdapterWeights vPrev = v != null ? v : AdapterMath.filled(meanDelta, (float) (tau * tau));
    m = AdapterMath.map(a -> beta1 * a[0] + (1 - beta1) * a[1], mPrev, meanDelta);
    v = AdapterMath.map(a -> nextV(a[0], a[1]), vPrev, meanDelta);
    return AdapterMath.map(a -> a[0] + lr * a[1] / (Math.sqrt(a[2]) + tau), global, m, v);
  }

  private double nextV(double vPrev, double d) {
    double d2 = d * d;
    return switch (kind) {
      case ADAGRAD -> vPrev + d2;
      case YOGI -> vPrev - (1 - beta2) * d2 * Math.signum(vPrev - d2);
      case ADAM -> beta2 * vPrev + (1 - beta2) * d2;
    };
  }

  @Override
  public Map<String, AdapterWeights> state() {
    return m == null ? Map.of() : Map.of(M, m, V, v);
  }

  @Override
  public void restoreState(Map<String, AdapterWeights> state) {
    if (!state.isEmpty() && !state.keySet().equals(Set.of(M, V))) {
      throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT)
          + " state must hold '" + M + "' and '" + V + "', got " + state.keySet());
    }
    m = state.get(M);
    v = state.get(V);
  }
}
