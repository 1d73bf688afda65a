package io.fedit.federation.aggregation;

import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;

/**
 * Turns a round's accepted updates into one mean delta Δ for the server optimizer. The only place that
 * looks at individual updates on the server side, and only through {@link UpdateSet#reduce}: a coordinate-wise
 * rule that the round driver computes by coordinate blocks on the executors.
 */
public interface DeltaAggregator {
  /**
   * @param sampled clients sampled this round (accepted, rejected and failed): DP's fixed denominator
   */
  AdapterWeights meanDelta(AdapterWeights global, UpdateSet accepted, int sampled);

  /** One line for the round's note ("example-weighted mean of 3 deltas"). */
  String describe(UpdateSet accepted, int sampled);
}
