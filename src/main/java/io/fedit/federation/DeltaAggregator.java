package io.fedit.federation;

import io.fedit.lora.AdapterWeights;
import java.util.List;

/**
 * Turns a round's accepted updates into one mean delta Δ for the server optimizer. The only place that
 * looks at individual updates on the server side: a distributed version replaces this by a reduction of
 * weighted partial sums (Σ w_k (θ_k − x), Σ w_k) computed where the updates are.
 */
interface DeltaAggregator {
  /**
   * @param sampled clients sampled this round (accepted, rejected and failed): DP's fixed denominator
   */
  AdapterWeights meanDelta(AdapterWeights global, List<ClientUpdate> accepted, int sampled);

  /** One line for the round's note ("example-weighted mean of 3 deltas"). */
  String describe(List<ClientUpdate> accepted, int sampled);
}
