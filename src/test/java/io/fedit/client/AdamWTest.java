package io.fedit.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** AdamW's state is float32 whatever the parameter dtype. */
class AdamWTest {
  /**
   * Round 1 of LoRA starts with B = 0, so every A gets an exactly zero gradient. AdamW then computes
   * m / (sqrt(v) + eps) = 0 / eps = 0; with its state in float16 (as it was for float16 parameters) eps = 1e-8
   * rounds to 0 and the update was 0 / 0 = NaN.
   */
  @Test
  void zeroGradientLeavesAFloat16ParameterUnchanged() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] values = {0.25f, -0.5f, 0.125f, 1f};
      NDArray p = m.create(values, new Shape(2, 2)).toType(DataType.FLOAT16, true);
      AdamW adamw = new AdamW(m, new NDList(p), 0.9, 0.999, 1e-8, 0.0);
      for (int s = 0; s < 3; s++) {
        try (NDManager step = m.newSubManager()) {
          NDArray g = step.zeros(new Shape(2, 2), DataType.FLOAT16);
          adamw.step(new NDList(p), new NDList(g), 1e-3, step);
        }
      }
      assertArrayEquals(values, p.toType(DataType.FLOAT32, true).toFloatArray());
    }
  }
}
