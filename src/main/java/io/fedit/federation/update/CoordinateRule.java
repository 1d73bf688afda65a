package io.fedit.federation.update;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An aggregation rule that works coordinate by coordinate: value i of the result depends only on value i of
 * every client's adapter and of the global adapter. That is what lets a Spark job split the adapter into
 * coordinate blocks, compute each block on an executor from the K clients' values of that block alone, and
 * assemble the result on the driver block by block (memory O(adapter), not O(K · adapter)). Every rule
 * computes in double from float32 inputs, visiting clients in the given (client id) order, so a block gives
 * the same bits wherever it is computed.
 *
 * <p>Shapes: {@code values[k][j]} is client k's value at coordinate j of the block, {@code global[j]} the global
 * adapter's; the result has one double per coordinate of the block.
 */
public interface CoordinateRule extends Serializable {
  double[] apply(float[][] values, float[] global);

  /**
   * The same result with the clients' values fetched one client at a time, in order ({@code valuesOf.apply(k)}
   * for k = 0 .. clients−1). Linear rules override it to hold one client's block at a time; the default
   * fetches all (order statistics need every client's value of a coordinate at once).
   */
  default double[] applyStreaming(int clients, java.util.function.IntFunction<float[]> valuesOf, float[] global) {
    float[][] all = new float[clients][];
    for (int k = 0; k < clients; k++) all[k] = valuesOf.apply(k);
    return apply(all, global);
  }

  /** Σ_k coef[k] · (θ_k − x): weighted sum of deltas (FedAvg on deltas, norm bounding, DP, SCAFFOLD). */
  static CoordinateRule weightedDeltaSum(double[] coef) {
    return new WeightedSum(coef.clone(), true);
  }

  /** Σ_k coef[k] · θ_k: weighted sum of the adapters themselves (FedIT's mean of adapters). */
  static CoordinateRule weightedSum(double[] coef) {
    return new WeightedSum(coef.clone(), false);
  }

  /** The linear rules: out[j] = Σ_k coef[k] · (v_k[j] − x[j]) (or v_k[j]), accumulated in k order. */
  record WeightedSum(double[] coef, boolean ofDeltas) implements CoordinateRule {
    @Override
    public double[] apply(float[][] values, float[] global) {
      check(values, coef.length);
      return applyStreaming(coef.length, k -> values[k], global);
    }

    @Override
    public double[] applyStreaming(int clients, java.util.function.IntFunction<float[]> valuesOf, float[] global) {
      if (clients != coef.length) throw new IllegalArgumentException(clients + " clients but " + coef.length + " coefficients");
      double[] out = new double[global.length];
      for (int k = 0; k < clients; k++) {
        float[] v = valuesOf.apply(k);
        double w = coef[k];
        if (ofDeltas) {
          for (int j = 0; j < out.length; j++) out[j] += w * ((double) v[j] - global[j]);
        } else {
          for (int j = 0; j < out.length; j++) out[j] += w * v[j];
        }
      }
      return out;
    }
  }

  /** Coordinate-wise median of the deltas θ_k − x (mean of the two middle values when K is even). */
  static CoordinateRule median() {
    return (values, global) -> trimmedMeanOfDeltas(values, global, (values.length - 1) / 2);
  }

  /**
   * Coordinate-wise trimmed mean of the deltas (Yin et al. 2018): at each coordinate the floor(beta · K)
   * smallest and as many largest deltas are dropped and the rest averaged; beta in [0, 0.5).
   */
  static CoordinateRule trimmedMean(double beta) {
    if (!(beta >= 0 && beta < 0.5)) throw new IllegalArgumentException("trim beta must be in [0, 0.5), got " + beta);
    return (values, global) -> trimmedMeanOfDeltas(values, global, trimCount(beta, values.length));
  }

  /** How many values trimmed_mean drops at each end for K clients: floor(beta · K). */
  static int trimCount(double beta, int clients) {
    return (int) Math.floor(beta * clients);
  }

  /** Mean of the deltas that remain after dropping {@code drop} values at each end (sorted per coordinate). */
  private static double[] trimmedMeanOfDeltas(float[][] values, float[] global, int drop) {
    int k = values.length;
    if (k == 0) throw new IllegalArgumentException("no client values");
    if (2 * drop >= k) throw new IllegalArgumentException("cannot drop " + drop + " at each end of " + k + " values");
    double[] out = new double[global.length];
    double[] column = new double[k];
    for (int j = 0; j < out.length; j++) {
      for (int c = 0; c < k; c++) column[c] = (double) values[c][j] - global[j];
      Arrays.sort(column);
      double s = 0;
      for (int c = drop; c < k - drop; c++) s += column[c];
      out[j] = s / (k - 2 * drop);
    }
    return out;
  }

  private static void check(float[][] values, int expected) {
    if (values.length != expected) {
      throw new IllegalArgumentException(values.length + " clients' values but " + expected + " coefficients");
    }
  }
}
