package io.fedit.experiment;

import io.fedit.seeds.Seeds;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Paired bootstrap of the comparisons the targets are about, over the records of one split (or one
 * category of it) for one or more seeds: every resample draws the same eval records for every arm of a seed, so
 * the record-to-record noise that the arms share cancels. With several seeds each seed's records are resampled
 * separately (a stratified bootstrap) and the statistics are pooled over seeds:
 * <ul>
 *   <li>d = mean over seeds of (loss(fedit) - mean over local-only clients of loss(client));
 *   <li>gap closed = (L - F) / (L - C), with L, F, C the losses of local-only (client mean), FedIT and centralized
 *       averaged over seeds: the share of the local-only → centralized gap that FedIT closes.
 * </ul>
 * A claim "FedIT beats local-only" holds when d's whole interval is below 0; "closes at least 80%" when the gap
 * closed interval is above 0.8. Losses are token-weighted: sum of NLL / sum of tokens over the drawn records.
 */
final class PairedComparison {
  /** Per-record response tokens and NLL sums of one model, records in the same (id) order for every model. */
  record Scores(long[] tokens, double[] nll) {
    Scores {
      if (tokens.length != nll.length) throw new IllegalArgumentException(tokens.length + " token counts for " + nll.length + " losses");
    }

    int records() {
      return tokens.length;
    }
  }

  /** The arms of one seed on the same records. */
  record Arms(Scores fedit, List<Scores> local, Scores central) {
    Arms {
      local = List.copyOf(local);
      if (local.isEmpty()) throw new IllegalArgumentException("no local-only model to compare with");
      int n = fedit.records();
      if (central.records() != n || local.stream().anyMatch(s -> s.records() != n)) {
        throw new IllegalArgumentException("the arms of a seed must be scored on the same records");
      }
    }
  }

  /** Point estimates and 95% percentile intervals; NaN where undefined. */
  record Result(double diff, double diffLow, double diffHigh, double closed, double closedLow, double closedHigh) {
    String describe() {
      return String.format(Locale.ROOT, "fedit - mean local_only %+.4f [%+.4f, %+.4f]; gap closed %s [%s, %s] (paired)",
          diff, diffLow, diffHigh, pct(closed), pct(closedLow), pct(closedHigh));
    }

    static String pct(double v) {
      return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
  }

  private PairedComparison() {}

  static Result of(Scores fedit, List<Scores> local, Scores central, int samples, long seed) {
    return of(List.of(new Arms(fedit, local, central)), samples, seed);
  }

  static Result of(List<Arms> seeds, int samples, long seed) {
    int k = seeds.size();
    int[][] all = new int[k][];
    for (int s = 0; s < k; s++) {
      all[s] = new int[seeds.get(s).fedit().records()];
      for (int i = 0; i < all[s].length; i++) all[s][i] = i;
    }
    double[] point = stats(seeds, all);
    boolean empty = seeds.stream().allMatch(a -> a.fedit().records() == 0);
    if (samples == 0 || empty) return new Result(point[0], Double.NaN, Double.NaN, point[1], Double.NaN, Double.NaN);
    SplittableRandom rng = Seeds.stream(seed);
    double[] d = new double[samples], c = new double[samples];
    int[][] idx = new int[k][];
    for (int s = 0; s < k; s++) idx[s] = new int[all[s].length];
    for (int b = 0; b < samples; b++) {
      for (int s = 0; s < k; s++) {
        int n = idx[s].length;
        for (int i = 0; i < n; i++) idx[s][i] = rng.nextInt(n);
      }
      double[] st = stats(seeds, idx);
      d[b] = st[0];
      c[b] = st[1];
    }
    double[] dl = interval(d), cl = interval(c);
    return new Result(point[0], dl[0], dl[1], point[1], cl[0], cl[1]);
  }

  /** {difference, gap closed} pooled over seeds, on the records {@code idx[s]} (with repetition) of seed s. */
  private static double[] stats(List<Arms> seeds, int[][] idx) {
    double f = 0, l = 0, c = 0;
    for (int s = 0; s < seeds.size(); s++) {
      Arms a = seeds.get(s);
      double ls = 0;
      for (Scores m : a.local()) ls += loss(m, idx[s]);
      l += ls / a.local().size();
      f += loss(a.fedit(), idx[s]);
      c += loss(a.central(), idx[s]);
    }
    int k = seeds.size();
    f /= k;
    l /= k;
    c /= k;
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
