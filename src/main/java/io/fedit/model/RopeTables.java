package io.fedit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The rotary embedding's cos and sin per position, (maxPositions, D) in Hugging Face's rotate-half layout
 * ([freqs, freqs]), with the config's rope_scaling applied to the inverse frequencies (float32, as transformers
 * computes them). Both forward paths (DJL ops and the bfloat16 {@link ScriptedDecoder}) take their rows from here.
 */
final class RopeTables {
  private final int d;
  private final float[] cos;
  private final float[] sin;

  RopeTables(LlamaConfig c) {
    d = c.headDim();
    int half = d / 2, maxPos = c.maxPositions();
    cos = new float[maxPos * d];
    sin = new float[maxPos * d];
    float[] invFreq = new float[half];
    for (int i = 0; i < half; i++) invFreq[i] = (float) (1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / d)); // float32 as HF
    if (c.ropeScaling() != null) c.ropeScaling().apply(invFreq, c.ropeTheta(), d, maxPos, maxPos);
    for (int pos = 0; pos < maxPos; pos++) {
      for (int i = 0; i < half; i++) {
        float angle = pos * invFreq[i];
        cos[pos * d + i] = cos[pos * d + i + half] = (float) Math.cos(angle);
        sin[pos * d + i] = sin[pos * d + i + half] = (float) Math.sin(angle);
      }
    }
  }

  /** cos of positions start .. start+t-1: (T, D) float32 in m. */
  NDArray cos(NDManager m, int start, int t) {
    return m.create(Arrays.copyOfRange(cos, start * d, (start + t) * d), new Shape(t, d));
  }

  /** sin of positions start .. start+t-1: (T, D) float32 in m. */
  NDArray sin(NDManager m, int start, int t) {
    return m.create(Arrays.copyOfRange(sin, start * d, (start + t) * d), new Shape(t, d));
  }
}
