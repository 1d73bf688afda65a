package io.fedit.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fedit.testing.NativeMemory;

/**
 * Run in its own JVM by {@link GenerationMemoryTest} with a fixed-size heap (-Xms = -Xmx), so that the
 * resident set can only grow through native memory: prints "NATIVE before after" in kB around 1,000
 * generated tokens (after a warm-up generation).
 */
public final class GenerationMemoryProbe {
  public static void main(String[] args) throws Exception {
    ModelWeights w = ModelWeights.load(TinyModel.dir());
    try (NDManager root = NDManager.newBaseManager(); LlamaModel model = LlamaModel.create(w, root, DataType.FLOAT32)) {
      Generator gen = new Generator(model);
      SamplingParams params = new SamplingParams(250, 1.0, 0, 1.0, 42, false);
      gen.generate(new long[] {1}, params, null); // warm-up: allocator caches, JIT
      long before = NativeMemory.kb();
      for (int g = 0; g < 4; g++) gen.generate(new long[] {1}, params, null);
      long after = NativeMemory.kb();
      System.out.println("NATIVE " + before + " " + after);
    }
  }
}
