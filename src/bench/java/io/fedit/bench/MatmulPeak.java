package io.fedit.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.fedit.model.LlamaConfig;
import io.fedit.model.ScriptedDecoder;
import java.util.Locale;

/**
 * The matmul throughput one dtype reaches through DJL's libtorch at a model's own projection shapes: rows =
 * micro batch x sequence, times (H, Hq·D), (H, Hkv·D), (Hq·D, H), (H, I), (I, H) and the head (H, V). The best of
 * them is the "peak" a training run of that dtype is compared with (a trainer cannot beat its own GEMMs).
 */
final class MatmulPeak {
  private MatmulPeak() {}

  /** Best GFLOP/s over the model's projection shapes; prints one line per shape. */
  static double measure(String label, LlamaConfig c, int rows, DataType dtype, int threads) {
    int h = c.hiddenSize();
    int[][] shapes = {{h, c.qDim()}, {h, c.kvDim()}, {c.qDim(), h}, {h, c.intermediateSize()},
        {c.intermediateSize(), h}, {h, c.vocabSize()}};
    int prev = JniUtils.getNumThreads();
    JniUtils.setNumThreads(threads);
    double best = 0;
    try (NDManager m = NDManager.newBaseManager()) {
      for (int[] s : shapes) {
        double flop = 2.0 * rows * s[0] * s[1];
        int reps = Math.max(1, (int) Math.min(50, 2e10 / flop)); // ~0.1-1 s of float32 work per shape
        if (dtype == DataType.FLOAT16) reps = Math.max(1, reps / 10);
        double seconds;
        if (dtype == DataType.BFLOAT16) { // DJL cannot hold bfloat16: timed inside the bfloat16 decoder's script
          NDArray x = m.randomUniform(-1, 1, new Shape(rows, s[0]));
          NDArray w = m.randomUniform(-1, 1, new Shape(s[0], s[1]));
          seconds = ScriptedDecoder.bfloat16MatmulSeconds(x, w, reps);
        } else {
          NDArray x = m.randomUniform(-1, 1, new Shape(rows, s[0])).toType(dtype, false);
          NDArray w = m.randomUniform(-1, 1, new Shape(s[0], s[1])).toType(dtype, false);
          x.matMul(w).close(); // warm-up
          long t0 = System.nanoTime();
          for (int i = 0; i < reps; i++) x.matMul(w).close();
          seconds = (System.nanoTime() - t0) / 1e9;
        }
        double gflops = flop * reps / seconds / 1e9;
        best = Math.max(best, gflops);
        System.out.printf(Locale.ROOT, "PEAK djl %s %s threads=%d [%d,%d]x[%d,%d] %.1f GFLOP/s%n", label,
            dtype.name().toLowerCase(Locale.ROOT), threads, rows, s[0], s[0], s[1], gflops);
      }
    } finally {
      JniUtils.setNumThreads(prev);
    }
    System.out.printf(Locale.ROOT, "PEAK djl %s %s threads=%d best=%.1f GFLOP/s%n", label,
        dtype.name().toLowerCase(Locale.ROOT), threads, best);
    return best;
  }

  /**
   * Matmul FLOP per trained token of LoRA training with a frozen base: the forward (projections, attention scores
   * and values over the full seq x seq block as computed, head) and the backward's input gradients (the same
   * again; frozen weights need no weight gradients). LoRA's own rank-r matmuls are left out (under 1%).
   */
  static double trainingFlopPerToken(LlamaConfig c, int seq) {
    double h = c.hiddenSize(), q = c.qDim(), kv = c.kvDim(), i = c.intermediateSize();
    double perLayer = 2 * (h * q + 2 * h * kv + q * h + 3 * h * i) + 4.0 * seq * q;
    double forward = c.numLayers() * perLayer + 2 * h * c.vocabSize();
    return 2 * forward;
  }
}
