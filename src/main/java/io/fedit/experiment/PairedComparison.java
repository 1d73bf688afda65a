package io.fedit.experiment;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Paired bootstrap of the comparisons the targets are about, on one split of one seed: every resample
 * draws the same eval records for every arm, so the record-to-record noise that all arms share cancels.
 * Per resample: d = loss(fedit) - mean over local-only clients of loss(client), and the share of the local-only →
 * centralized gap that FedIT closes, (mean local - fedit) / (mean local - centralized). A claim "FedIT beats
 * local-only" holds when d's whole interval is below 0.
 */
final class PairedComparison {
  /** Per-record response tokens and NLL sums of one model, records in the same (id) order for every model. */
  record Scores(long[] tokens, double[] nll) {}

  /** Point estimates and 95% percentile intervals; NaN where undefined. */
  record Result(double diff, double diffLow, double diffHigh, double closed, double closedLow, double closedHigh) {
    String describe() {
      return String.format(Locale.ROOT, "fedit - mean local_only %+.4f [%+.4f, %+.4f]; gap closed %s [%s, %s] (paired)",
          diff, diffLow, diffHigh, pct(closed), pct(closedLow), pct(closedHigh));
    }

    private static String pct(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
  }

  private PairedComparison() {}

  static Result of(Scores fedit, List<Scores> local, Scores central, int samples, long seed) {
    int n = fedit.tokens().length;
    int[] all = new int[n];
    for (int i = 0; i < n; i++) all[i] = i;
    double[] point = stats(fedit, local, central, all);
    if (samples == 0 || n == 0) return new Result(point[0], Double.NaN, Double.NaN, point[1], Double.NaN, Double.NaN);
    SplittableRandom rng = new SplittableRandom(seed);
    double[] d = new double[samples], c = new double[samples];
    int[] idx = new int[n];
    for (int b = 0; b < samples; b++) {
      for (int i = 0; i < n; i++) idx[i] = rng.nextInt(n);
      double[] s = stats(fedit, local, central, idx);
      d[b] = s[0];
      c[b] = s[1];
    }
    double[] dl = interval(d), cl = interval(c);
    return new Result(point[0], dl[0], dl[1], point[1], cl[0], cl[1]);
  }

  /** {difference, gap closed} on the records {@code idx} (with repetition). */
  private static double[] stats(Scores fedit, List<Scores> local, Scores central, int[] idx) {
    double f = loss(fedit, idx), c = loss(central, idx), l = 0;
    for (Scores s : local) l += loss(s, idx);
    l /= local.size();
    double gap = l - c;
    return new double[] {f - l, Math.abs(gap) < 1e-12 ? Double.NaN : (l - f) / gap};
  }

  private static double loss(Scores s, int[] idx) {
    long t = 0;
    double v = 0;
    for (int i : idx) {
      t += s.tokens()[i];
      v += s.nll()[i];
    }
    return t == 0 ? Double.NaN : v / t;
  }

  private static double[] interval(double[] values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) return new double[] {Double.NaN, Double.NaN};
    return new double[] {Bootstrap.quantile(v, 0.025), Bootstrap.quantile(v, 0.975)};
  }
}
