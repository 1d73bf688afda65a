package io.fedit.experiment;

import io.fedit.seeds.Seeds;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap interval of a token-weighted mean loss over records: resample the records with
 * replacement {@code samples} times, recompute sum(nll) / sum(tokens) each time, take the 2.5% and 97.5%
 * quantiles (linear interpolation, numpy's default). The draws depend only on (seed, record count), so arms
 * evaluated on the same records with the same seed see the same resamples (paired intervals).
 */
public final class Bootstrap {
  private Bootstrap() {}

  /**
   * @param tokens response tokens of each record (records with 0 tokens count as drawn but add nothing)
   * @param nll    sum of NLL over each record's tokens
   * @return {low, high}, or null when there are no records, no samples, or no resample has a token
   */
  public static double[] interval95(long[] tokens, double[] nll, int samples, long seed) {
    int n = tokens.length;
    if (n != nll.length) throw new IllegalArgumentException(n + " token counts for " + nll.length + " losses");
    if (n == 0 || samples == 0) return null;
    SplittableRandom rng = Seeds.stream(seed);
    double[] stats = new double[samples];
    int k = 0;
    for (int b = 0; b < samples; b++) {
      long t = 0;
      double s = 0;
      for (int i = 0; i < n; i++) {
        int j = rng.nextInt(n);
        t += tokens[j];
        s += nll[j];
      }
      if (t > 0) stats[k++] = s / t;
    }
    if (k == 0) return null;
    double[] sorted = Arrays.copyOf(stats, k);
    Arrays.sort(sorted);
    return new double[] {quantile(sorted, 0.025), quantile(sorted, 0.975)};
  }

  /** Quantile q of sorted values, linear interpolation between closest ranks. */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
