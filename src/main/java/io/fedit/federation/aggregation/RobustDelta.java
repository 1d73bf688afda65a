package io.fedit.federation.aggregation;

import io.fedit.federation.update.AdapterMath;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;

/**
 * Byzantine-robust mean deltas (Yin et al. 2018), unweighted (a client's example count is its own claim, so
 * robust rules do not trust it): the coordinate-wise median of the deltas θ_k − x, or their coordinate-wise
 * trimmed mean that drops floor(beta · K) deltas at each end of every coordinate. Both are computed by
 * coordinate blocks where the updates are ({@link CoordinateRule}). With K = 1 both are that client's delta.
 */
public final class RobustDelta implements DeltaAggregator {
  private final String name;
  private final double trimBeta; // NaN for the median

  private RobustDelta(String name, double trimBeta) {
    this.name = name;
    this.trimBeta = trimBeta;
  }

  public static RobustDelta median() {
    return new RobustDelta("coordinate-wise median", Double.NaN);
  }

  public static RobustDelta trimmedMean(double beta) {
    CoordinateRule.trimmedMean(beta); // checks beta
    return new RobustDelta("coordinate-wise trimmed mean (beta " + beta + ")", beta);
  }

  @Override
  public AdapterWeights meanDelta(AdapterWeights global, UpdateSet accepted, int sampled) {
    if (accepted.isEmpty()) throw new IllegalArgumentException("no update to aggregate");
    CoordinateRule rule = Double.isNaN(trimBeta) ? CoordinateRule.median() : CoordinateRule.trimmedMean(trimBeta);
    return AdapterMath.unflatten(global, accepted.reduce(global, rule), (t, i, v) -> v);
  }

  @Override
  public String describe(UpdateSet accepted, int sampled) {
    String dropped = Double.isNaN(trimBeta) ? ""
        : ", " + CoordinateRule.trimCount(trimBeta, accepted.size()) + " dropped at each end";
    return name + " of " + accepted.size() + " deltas" + dropped;
  }
}
