package io.fedit.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Dynamic loss scaling: skip and halve on a non-finite gradient norm, double after GROWTH_INTERVAL good steps. */
class LossScalerTest {
  @Test
  void halvesOnOverflowAndGrowsBackAfterTheInterval() {
    try (NDManager m = NDManager.newBaseManager()) {
      LossScaler s = new LossScaler(m, true);
      NDArray inf = m.create(new float[] {Float.POSITIVE_INFINITY}, new Shape());
      NDArray nan = m.create(new float[] {Float.NaN}, new Shape());
      NDArray fine = m.create(new float[] {3f}, new Shape());
      assertEquals(LossScaler.INITIAL_SCALE, s.seed().getFloat(), 0);
      assertFalse(s.stepIsFinite(inf));
      assertFalse(s.stepIsFinite(nan));
      assertEquals(LossScaler.INITIAL_SCALE / 4, s.scale(), 0);
      assertEquals(LossScaler.INITIAL_SCALE / 4, s.seed().getFloat(), 0);
      assertEquals(2, s.skippedSteps());
      for (int i = 0; i < LossScaler.GROWTH_INTERVAL - 1; i++) assertTrue(s.stepIsFinite(fine));
      assertEquals(LossScaler.INITIAL_SCALE / 4, s.scale(), 0);
      assertTrue(s.stepIsFinite(fine));
      assertEquals(LossScaler.INITIAL_SCALE / 2, s.scale(), 0);

      NDArray g = m.create(new float[] {2048f, -1024f}, new Shape(2));
      s.unscale(new NDList(g)); // scale 2048
      assertArrayEquals(new float[] {1f, -0.5f}, g.toFloatArray());
    }
  }

  @Test
  void offInFloat32() {
    try (NDManager m = NDManager.newBaseManager()) {
      LossScaler s = new LossScaler(m, false);
      assertEquals(1f, s.seed().getFloat());
      assertTrue(s.stepIsFinite(m.create(new float[] {Float.NaN}, new Shape())));
      NDArray g = m.create(new float[] {5f}, new Shape(1));
      s.unscale(new NDList(g));
      assertArrayEquals(new float[] {5f}, g.toFloatArray());
      assertEquals(0, s.skippedSteps());
    }
  }
}
