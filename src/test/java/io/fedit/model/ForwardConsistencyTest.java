package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.fedit.config.LoraSection;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.LoraAdapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The training forward (whole sequence, causal mask) and the cached incremental forward are the same function. */
class ForwardConsistencyTest {
  static final long[] IDS = {1, 403, 407, 261, 378, 9, 10, 400, 300, 21, 22, 5};
  static NDManager root;
  static LlamaModel model;

  @BeforeAll
  static void load() throws Exception {
    root = NDManager.newBaseManager();
    model = LlamaModel.create(ModelWeights.load(TinyModel.dir()), root, DataType.FLOAT32);
  }

  @AfterAll
  static void close() {
    model.close();
    root.close();
  }

  @Test
  void fullSequenceLogitsEqualIncrementalLogitsAtEveryPosition() {
    int v = model.config().vocabSize(), t = IDS.length;
    try (NDManager step = model.manager().newSubManager(); KvCache cache = model.newCache(step)) {
      float[] full = model.forward(step.create(IDS, new Shape(1, t)), null, false).toFloatArray(); // (1, T, V)
      // prompt of 5 tokens in one call (mask with offset 0), then one token at a time (offset > 0)
      float[] first = model.forwardStep(step.create(java.util.Arrays.copyOf(IDS, 5), new Shape(1, 5)), cache, null)
          .toFloatArray();
      assertClose(full, 4 * v, first, v);
      for (int i = 5; i < t; i++) {
        float[] inc = model.forwardStep(step.create(new long[] {IDS[i]}, new Shape(1, 1)), cache, null).toFloatArray();
        assertClose(full, i * v, inc, v);
      }
      assertEquals(t, cache.length());
    }
  }

  @Test
  void batchRowsAreIndependent() {
    int v = model.config().vocabSize(), t = 6;
    try (NDManager step = model.manager().newSubManager()) {
      float[] both = model.forward(step.create(IDS, new Shape(2, t)), null, false).toFloatArray();
      float[] second = model.forward(step.create(java.util.Arrays.copyOfRange(IDS, t, 2 * t), new Shape(1, t)), null, false)
          .toFloatArray();
      for (int i = 0; i < t; i++) assertClose(both, (t + i) * v, java.util.Arrays.copyOfRange(second, i * v, (i + 1) * v), v);
    }
  }

  /** What the trainer relies on: gradients reach the LoRA arrays (B first: A's gradient is 0 while B = 0), never the base. */
  @Test
  void gradientsFlowToLoraOnlyAndBaseStaysFrozen() {
    LoraSection qv = new LoraSection(4, 8, 0.1, java.util.List.of("q_proj", "v_proj"), false);
    var init = AdapterFactory.create(model.config(), qv, 1);
    try (LoraAdapter lora = LoraAdapter.create(root, model.config(), init, qv.scaling(), qv.dropout(), DataType.FLOAT32)) {
      for (NDArray p : lora.parameters()) p.setRequiresGradient(true);
      try (NDManager step = model.manager().newSubManager();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray logits = model.forward(step.create(IDS, new Shape(2, 6)), lora, true); // (2, 6, V)
        NDArray loss = logits.logSoftmax(-1).get(":, :, 7").mean().neg();
        gc.backward(loss);
      }
      NDArray aT = lora.parameters().get(0), bT = lora.parameters().get(1);
      assertTrue(bT.getGradient().abs().sum().getFloat() > 0, "B^T gets a gradient");
      assertEquals(0f, aT.getGradient().abs().sum().getFloat(), "A^T gradient is 0 while B = 0");
      assertNotNull(lora.toAdapterWeights());
    }
  }

  static void assertClose(float[] full, int offset, float[] row, int v) {
    double max = 0;
    for (int j = 0; j < v; j++) max = Math.max(max, Math.abs(full[offset + j] - row[j]));
    assertTrue(max < 1e-4, "max difference " + max + " at offset " + offset);
  }
}
