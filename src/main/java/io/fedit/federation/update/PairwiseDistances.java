package io.fedit.federation.update;

/**
 * Squared L2 distances between the clients' adapters, ||θ_i − θ_j||² (= the distance between their deltas: x
 * cancels), as sums over coordinate blocks: {@link #ofBlock} gives one block's contribution, the caller adds
 * the blocks in block order. Output: the K × K matrix flattened row-major (symmetric, zero diagonal).
 */
public final class PairwiseDistances {
  private PairwiseDistances() {}

  /** One block's contribution: {@code values[k][j]} is client k's value at coordinate j of the block. */
  public static double[] ofBlock(float[][] values) {
    int k = values.length;
    double[] out = new double[k * k];
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        float[] va = values[a], vb = values[b];
        double s = 0;
        for (int j = 0; j < va.length; j++) {
          double d = (double) va[j] - vb[j];
          s += d * d;
        }
        out[a * k + b] = s;
        out[b * k + a] = s;
      }
    }
    return out;
  }

  /** Adds {@code block} into {@code total} (both K × K flattened). */
  public static void add(double[] total, double[] block) {
    for (int i = 0; i < total.length; i++) total[i] += block[i];
  }
}
