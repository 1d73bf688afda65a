package io.fedit.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenizerAndSamplingTest {
  @Test
  void tokenizerNeverTruncatesAndRoundTripsText() throws Exception {
    LlamaConfig c = ModelWeights.loadConfig(new org.apache.hadoop.fs.Path(TinyModel.dir().toUri()), new org.apache.hadoop.conf.Configuration());
    try (Tokenizer tok = Tokenizer.load(TinyModel.dir(), c)) {
      String text = "Once upon a time, there was a little girl named Lily. ".repeat(60).trim();
      long[] ids = tok.encode(text, true);
      assertTrue(ids.length > 600, "no 512-token truncation: " + ids.length);
      assertEquals(1, ids[0]);
      assertEquals(ids.length - 1, tok.encode(text, false).length);
      assertEquals(text, tok.decode(ids));
    }
  }

  @Test
  void samplingIsSeededAndTopKOneIsGreedy() {
    float[] logits = new float[50];
    Random r = new Random(1);
    for (int i = 0; i < logits.length; i++) logits[i] = (float) r.nextGaussian();
    int best = Generator.argmax(logits);
    SamplingParams k1 = new SamplingParams(1, 1.0, 1, 1.0, 9, true);
    SamplingParams tinyP = new SamplingParams(1, 1.0, 0, 1e-6, 9, true);
    SamplingParams wide = new SamplingParams(1, 2.0, 0, 1.0, 9, true);
    for (int s = 0; s < 20; s++) {
      assertEquals(best, Generator.sample(logits, k1, new Random(s)));
      assertEquals(best, Generator.sample(logits, tinyP, new Random(s)));
    }
    int[] a = new int[30], b = new int[30];
    Random ra = new Random(4), rb = new Random(4);
    for (int i = 0; i < 30; i++) {
      a[i] = Generator.sample(logits, wide, ra);
      b[i] = Generator.sample(logits, wide, rb);
    }
    assertArrayEquals(a, b);
    assertTrue(java.util.Arrays.stream(a).distinct().count() > 3, "temperature 2 spreads the draws");
    assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1, -1, 0, 1, 0, true));
  }

  @Test
  void sampledGenerationIsReproducibleFromItsSeedAndBf16ComputeRuns() throws Exception {
    ModelWeights w = ModelWeights.load(TinyModel.dir());
    SamplingParams p = new SamplingParams(40, 0.9, 40, 0.95, 123, true);
    try (NDManager root = NDManager.newBaseManager(); LlamaModel m = LlamaModel.create(w, root, DataType.FLOAT32)) {
      Generator g = new Generator(m);
      long[] first = g.generate(new long[] {1}, p, null);
      assertArrayEquals(first, g.generate(new long[] {1}, p, null));
      assertNotEquals(java.util.Arrays.toString(first),
          java.util.Arrays.toString(g.generate(new long[] {1}, new SamplingParams(40, 0.9, 40, 0.95, 124, true), null)));
    }
    // float16 compute runs on the CPU engine too; its first greedy tokens match float32.
    try (NDManager root = NDManager.newBaseManager(); LlamaModel h = LlamaModel.create(w, root, DataType.FLOAT16);
        LlamaModel f = LlamaModel.create(w, root, DataType.FLOAT32)) {
      long[] half = new Generator(h).generate(new long[] {1}, SamplingParams.greedy(8), null);
      long[] fp = new Generator(f).generate(new long[] {1}, SamplingParams.greedy(8), null);
      assertArrayEquals(fp, half);
      // bfloat16 (the TorchScript decoder; DJL itself would abort the JVM on a bfloat16 tensor) generates too.
      try (LlamaModel b = LlamaModel.create(w, root, DataType.BFLOAT16)) {
        assertArrayEquals(fp, new Generator(b).generate(new long[] {1}, SamplingParams.greedy(8), null));
      }
    }
  }
}
