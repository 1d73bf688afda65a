package io.fedit.federation.privacy;

import java.util.Arrays;

/**
 * Rényi-DP accountant for the Poisson-sampled Gaussian mechanism (Mironov, Talwar and Zhang 2019, "Rényi
 * Differential Privacy of the Sampled Gaussian Mechanism"), add-or-remove-one neighbouring, at integer
 * orders α, composed over rounds by adding RDP, converted to (epsilon, delta) with the conversion of
 * Canonne, Kamath and Steinke 2020 / Asoodeh et al. 2021 (what dp_accounting uses):
 * <pre>
 *   A_α = Σ_{k=0..α} C(α,k) (1−q)^{α−k} q^k exp((k² − k) / (2σ²))      RDP(α) = log A_α / (α − 1)
 *   ε = min_α  RDP_total(α) + log(1 − 1/α) − (log δ + log α) / (α − 1)
 * </pre>
 * A round samples m of N clients: q = m / N. The bound is the Poisson-sampling one, while the sampler
 * draws a fixed-size sample without replacement; see docs/ALGORITHMS.md, "Differential privacy", for what that means.
 * Integer orders only: fewer orders can only give a larger (still valid) epsilon than libraries that also
 * try fractional ones.
 */
public final class RdpAccountant {
  /** Orders 2..256: enough for the sigmas and round counts of federated runs. */
  public static final int[] DEFAULT_ORDERS = java.util.stream.IntStream.rangeClosed(2, 256).toArray();

  /** epsilon and the order that gave it. */
  public record Epsilon(double epsilon, int order) {}

  private final int[] orders;
  private final double[] rdp;

  public RdpAccountant() {
    this(DEFAULT_ORDERS);
  }

  public RdpAccountant(int[] orders) {
    for (int a : orders) if (a < 2) throw new IllegalArgumentException("orders must be >= 2, got " + a);
    this.orders = orders.clone();
    this.rdp = new double[orders.length];
  }

  /** Adds {@code count} rounds of the sampled Gaussian mechanism with rate q and noise multiplier sigma. */
  public RdpAccountant compose(double q, double sigma, int count) {
    for (int i = 0; i < orders.length; i++) rdp[i] += count * rdp(q, sigma, orders[i]);
    return this;
  }

  /** Total RDP at each order so far (copy). */
  public double[] rdp() {
    return rdp.clone();
  }

  public Epsilon epsilon(double delta) {
    return epsilon(orders, rdp, delta);
  }

  /** RDP of one sampled Gaussian step at integer order α: log A_α / (α − 1). */
  public static double rdp(double q, double sigma, int alpha) {
    if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("sampling rate q must be in [0, 1], got " + q);
    if (!(sigma > 0)) throw new IllegalArgumentException("noise multiplier must be > 0, got " + sigma);
    if (q == 0) return 0;
    if (q == 1) return alpha / (2 * sigma * sigma);
    double logQ = Math.log(q), log1mQ = Math.log1p(-q);
    double[] terms = new double[alpha + 1];
    for (int k = 0; k <= alpha; k++) {
      terms[k] = logBinomial(alpha, k) + (alpha - k) * log1mQ + k * logQ + (k * (double) k - k) / (2 * sigma * sigma);
    }
    return logSumExp(terms) / (alpha - 1);
  }

  /** The best (smallest) epsilon over the orders for total RDP values {@code rdp}. */
  public static Epsilon epsilon(int[] orders, double[] rdp, double delta) {
    if (!(delta > 0 && delta < 1)) throw new IllegalArgumentException("delta must be in (0, 1), got " + delta);
    double best = Double.POSITIVE_INFINITY;
    int bestOrder = orders[0];
    for (int i = 0; i < orders.length; i++) {
      int a = orders[i];
      double eps = rdp[i] + Math.log1p(-1.0 / a) - (Math.log(delta) + Math.log(a)) / (a - 1);
      if (eps < best) {
        best = eps;
        bestOrder = a;
      }
    }
    return new Epsilon(Math.max(0, best), bestOrder);
  }

  private static final double[] LOG_FACTORIAL = new double[1025]; // log(n!) for n ≤ 1024

  static {
    for (int n = 2; n < LOG_FACTORIAL.length; n++) LOG_FACTORIAL[n] = LOG_FACTORIAL[n - 1] + Math.log(n);
  }

  private static double logBinomial(int n, int k) {
    if (n >= LOG_FACTORIAL.length) throw new IllegalArgumentException("order " + n + " is above 1024");
    return LOG_FACTORIAL[n] - LOG_FACTORIAL[k] - LOG_FACTORIAL[n - k];
  }

  private static double logSumExp(double[] xs) {
    double max = Arrays.stream(xs).max().orElse(Double.NEGATIVE_INFINITY);
    if (max == Double.NEGATIVE_INFINITY) return max;
    double s = 0;
    for (double x : xs) s += Math.exp(x - max);
    return max + Math.log(s);
  }
}
