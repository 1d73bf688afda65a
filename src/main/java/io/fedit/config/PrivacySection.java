package io.fedit.config;

/**
 * Client-level differential privacy (DP-FedAvg, McMahan et al. 2018). Off by default.
 *
 * @param enabled         clip every client's delta to clip_norm on the executor and add Gaussian noise on
 *                        the server; clients are then weighted equally (not by example count)
 * @param clipNorm        C: the L2 bound of one client's delta over all adapter tensors
 * @param noiseMultiplier sigma: the noise added to the sum of clipped deltas has standard deviation sigma·C
 * @param delta           the delta of the (epsilon, delta) guarantee; must be below 1 / number of clients
 * @param targetEpsilon   the round that would take the spent epsilon above this is not run; 0 = no limit
 * @param clientMetrics   {@code redacted}: with privacy on, metrics/client_metrics keeps only each sampled client's
 *                        id, attempt and status (its losses, sizes, timings and update norm are computed from its
 *                        private data and are not covered by the guarantee); {@code full}: keep them all
 */
public record PrivacySection(
    boolean enabled, double clipNorm, double noiseMultiplier, double delta, double targetEpsilon, String clientMetrics)
    implements java.io.Serializable {
  public static final java.util.List<String> CLIENT_METRICS = java.util.List.of("redacted", "full");

  public PrivacySection {
    clientMetrics = Require.oneOf("privacy.client_metrics", clientMetrics, CLIENT_METRICS);
    Require.positive("privacy.clip_norm", clipNorm);
    Require.positive("privacy.noise_multiplier", noiseMultiplier);
    if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("privacy.delta must be in (0, 1), got " + delta);
    Require.nonNegative("privacy.target_epsilon", targetEpsilon);
  }

  /** The same mechanism with another budget target: what a continued run may change. */
  public PrivacySection withTargetEpsilon(double target) {
    return new PrivacySection(enabled, clipNorm, noiseMultiplier, delta, target, clientMetrics);
  }

  /** Whether per-client metrics are withheld from metrics/client_metrics (privacy on, client_metrics: redacted). */
  public boolean redactsClientMetrics() {
    return enabled && clientMetrics.equals("redacted");
  }
}
