package io.fedit.federation.privacy;

import io.fedit.config.PrivacySection;
import io.fedit.federation.aggregation.DeltaAggregator;
import io.fedit.federation.update.AdapterMath;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;

/**
 * DP-FedAvg's server side (McMahan et al. 2018, fixed-denominator estimator):
 * <pre>
 *   Δ̃ = ( Σ_{k accepted} clip_C(θ_k − x)  +  N(0, (sigma·C)² I) ) / m
 * </pre>
 * Noise of standard deviation sigma·C goes on the SUM of the clipped deltas (one client changes that sum by
 * at most C, so sigma is the noise multiplier of the Gaussian mechanism the accountant analyses); dividing
 * by m, the number of clients SAMPLED (not those that succeeded), gives the mean with noise std sigma·C/m.
 * Clients count equally (weights by example count would change a client's sensitivity). The executor has
 * already clipped; clipping again here in double costs nothing and makes the bound exact whatever the float
 * rounding of x + clipped Δ was. Under FFA-LoRA the frozen lora_A tensors get neither delta nor noise.
 */
public final class DpNoisedDelta implements DeltaAggregator {
  private final double clipNorm;
  private final double noiseMultiplier;
  private final boolean skipLoraA;
  private final GaussianSource noise;

  DpNoisedDelta(double clipNorm, double noiseMultiplier, boolean skipLoraA, GaussianSource noise) {
    this.clipNorm = clipNorm;
    this.noiseMultiplier = noiseMultiplier;
    this.skipLoraA = skipLoraA;
    this.noise = noise;
  }

  public static DpNoisedDelta fromConfig(PrivacySection p, boolean ffaLora) {
    return new DpNoisedDelta(p.clipNorm(), p.noiseMultiplier(), ffaLora, GaussianSource.secure());
  }

  @Override
  public AdapterWeights meanDelta(AdapterWeights global, UpdateSet accepted, int sampled) {
    if (sampled < accepted.size() || sampled <= 0) {
      throw new IllegalArgumentException("sampled " + sampled + " < accepted " + accepted.size());
    }
    double[] norms = accepted.deltaNorms(global);
    double[] scale = new double[norms.length];
    for (int k = 0; k < scale.length; k++) scale[k] = norms[k] > clipNorm ? clipNorm / norms[k] : 1.0;
    double std = noiseMultiplier * clipNorm;
    double[] sum = accepted.reduce(global, CoordinateRule.weightedDeltaSum(scale));
    // Noise is drawn value by value in the adapter's tensor order; frozen lora_A tensors draw none.
    return AdapterMath.unflatten(global, sum,
        (t, i, v) -> skipLoraA && AdapterMath.isLoraA(t) ? 0.0 : (v + std * noise.next()) / sampled);
  }

  @Override
  public String describe(UpdateSet accepted, int sampled) {
    return "DP mean (clip " + clipNorm + ", noise " + noiseMultiplier + " x clip on the sum, / " + sampled
        + " sampled) of " + accepted.size() + " deltas";
  }
}
