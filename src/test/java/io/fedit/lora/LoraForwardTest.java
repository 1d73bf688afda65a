package io.fedit.lora;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fedit.config.LoraSection;
import io.fedit.model.LlamaModel;
import io.fedit.model.ModelWeights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LoraForwardTest {
  static final LoraSection ALL = new LoraSection(4, 8, 0.05, LoraSection.MODULES, false);
  static ModelWeights weights;
  static NDManager root;
  static LlamaModel model;

  @BeforeAll
  static void load() throws Exception {
    weights = ModelWeights.load(Path.of(System.getProperty("project.root", "."), "data", "stories260K-hf"));
    root = NDManager.newBaseManager();
    model = LlamaModel.create(weights, root, DataType.FLOAT32);
  }

  @AfterAll
  static void close() {
    model.close();
    root.close();
  }

  private static float[] logits(LoraAdapter lora, boolean training) {
    try (NDManager step = model.manager().newSubManager()) {
      NDArray ids = step.create(new long[] {1, 403, 407, 261, 378, 9, 10, 400, 1, 300, 21, 22}, new Shape(2, 6));
      return model.forward(ids, lora, training).toFloatArray();
    }
  }

  @Test
  void untrainedAdapterLeavesLogitsExactlyUnchanged() {
    AdapterWeights init = AdapterFactory.create(weights.config(), ALL, 7);
    try (LoraAdapter lora = LoraAdapter.create(root, weights.config(), init, ALL.scaling(), 0.0, DataType.FLOAT32)) {
      assertArrayEquals(logits(null, false), logits(lora, false));
    }
  }

  /**
   * Merged (W + s*B*A) and unmerged (W*x + s*B*A*x) are the same function; in float64 they agree to far below
   * 1e-5. In float32 the two summation orders round differently: over 5 layers that reaches ~2e-5 on logits
   * of magnitude ~10, i.e. ~1e-6 relative, so the float32 check is relative to the largest logit.
   */
  @Test
  void mergedAndUnmergedForwardAgreeWithin1e5() {
    AdapterWeights ab = randomNonZero(AdapterFactory.create(weights.config(), ALL, 3), 11);
    for (DataType dtype : new DataType[] {DataType.FLOAT64, DataType.FLOAT32}) {
      try (LlamaModel m = LlamaModel.create(weights, root, dtype);
          LoraAdapter lora = LoraAdapter.create(root, weights.config(), ab, ALL.scaling(), 0.0, dtype)) {
        float[] base = logits(m, null);
        float[] unmerged = logits(m, lora);
        assertTrue(maxDiff(base, unmerged) > 0.1, "the adapter must change the output for the test to mean anything");
        m.merge(lora);
        float[] merged = logits(m, null);
        m.unmerge(lora);
        float[] restored = logits(m, null);
        double scale = dtype == DataType.FLOAT64 ? 1 : maxAbs(unmerged);
        assertTrue(maxDiff(merged, unmerged) < 1e-5 * scale, dtype + ": merged vs unmerged differ by " + maxDiff(merged, unmerged));
        assertTrue(maxDiff(restored, base) < 1e-5 * scale, dtype + ": unmerge did not restore the base: " + maxDiff(restored, base));
      }
    }
  }

  private static float[] logits(LlamaModel m, LoraAdapter lora) {
    try (NDManager step = m.manager().newSubManager()) {
      NDArray ids = step.create(new long[] {1, 403, 407, 261, 378, 9, 10, 400, 1, 300, 21, 22}, new Shape(2, 6));
      return m.forward(ids, lora, false).toFloatArray();
    }
  }

  static double maxAbs(float[] a) {
    double d = 0;
    for (float v : a) d = Math.max(d, Math.abs(v));
    return d;
  }

  @Test
  void adapterRoundTripsThroughNativeArraysAndFactoryIsDeterministic() {
    AdapterWeights a = randomNonZero(AdapterFactory.create(weights.config(), ALL, 5), 2);
    try (LoraAdapter lora = LoraAdapter.create(root, weights.config(), a, ALL.scaling(), 0.0, DataType.FLOAT32)) {
      assertEquals(a, lora.toAdapterWeights());
      assertEquals(2 * 7 * weights.config().numLayers(), lora.parameters().size());
      for (NDArray p : lora.parameters()) assertFalse(p.hasGradient());
    }
    assertEquals(AdapterFactory.create(weights.config(), ALL, 5), AdapterFactory.create(weights.config(), ALL, 5));
  }

  @Test
  void factoryFollowsPeftNamesShapesAndKaimingBound() {
    LoraSection qv = new LoraSection(8, 16, 0, List.of("q_proj", "v_proj"), false);
    AdapterWeights a = AdapterFactory.create(weights.config(), qv, 1);
    assertEquals(4 * weights.config().numLayers(), a.size());
    AdapterWeights.Tensor qa = a.get("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
    AdapterWeights.Tensor vb = a.get("base_model.model.model.layers.4.self_attn.v_proj.lora_B.weight");
    assertArrayEquals(new long[] {8, 64}, qa.shape());
    assertArrayEquals(new long[] {32, 8}, vb.shape()); // 4 KV heads * head dim 8
    float bound = (float) (1 / Math.sqrt(64));
    for (float v : qa.values()) assertTrue(Math.abs(v) <= bound);
    for (float v : vb.values()) assertEquals(0f, v);
    assertEquals(16 / Math.sqrt(8), new LoraSection(8, 16, 0, List.of("q_proj"), true).scaling(), 1e-12);
  }

  @Test
  void dropoutIsActiveOnlyInTraining() {
    AdapterWeights ab = randomNonZero(AdapterFactory.create(weights.config(), ALL, 3), 12);
    try (LoraAdapter lora = LoraAdapter.create(root, weights.config(), ab, ALL.scaling(), 0.5, DataType.FLOAT32)) {
      assertArrayEquals(logits(lora, false), logits(lora, false));
      assertTrue(maxDiff(logits(lora, false), logits(lora, true)) > 0);
    }
  }

  /** Keeps A (Kaiming-uniform) and fills B with N(0, 0.02): an adapter of the size a few training steps give. */
  static AdapterWeights randomNonZero(AdapterWeights like, long seed) {
    Random rnd = new Random(seed);
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    like.tensors().forEach((name, t) -> {
      if (LoraTarget.isA(name)) {
        m.put(name, t);
        return;
      }
      float[] v = new float[t.values().length];
      for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * 0.02);
      m.put(name, new AdapterWeights.Tensor(t.shape(), v));
    });
    return new AdapterWeights(m);
  }

  static double maxDiff(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
    return d;
  }
}
