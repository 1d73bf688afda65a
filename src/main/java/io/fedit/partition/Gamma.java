package io.fedit.partition;

import java.util.SplittableRandom;

/** Gamma(shape, 1) sampling by Marsaglia and Tsang (2000), with the shape < 1 boost. */
final class Gamma {
  private Gamma() {}

  static double sample(SplittableRandom rng, double shape) {
    if (shape < 1) {
      // Gamma(a) = Gamma(a + 1) · U^(1/a)
      double u = rng.nextDouble();
      return sample(rng, shape + 1) * Math.pow(u == 0 ? Double.MIN_VALUE : u, 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double x;
      double v;
      do {
        x = normal(rng);
        v = 1.0 + c * x;
      } while (v <= 0);
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Standard normal by the polar Box–Muller method. */
  private static double normal(SplittableRandom rng) {
    double u;
    double v;
    double s;
    do {
      u = rng.nextDouble() * 2 - 1;
      v = rng.nextDouble() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    return u * Math.sqrt(-2 * Math.log(s) / s);
  }
}
