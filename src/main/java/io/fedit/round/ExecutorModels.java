package io.fedit.round;

import io.fedit.model.DeviceChoice;
import io.fedit.model.ModelCache;

/** The round's view of the per-executor-JVM model cache ({@link ModelCache}, shared with evaluation). */
final class ExecutorModels {
  /** A loaded base model and its tokenizer. */
  record Loaded(io.fedit.model.LlamaModel model, io.fedit.model.Tokenizer tokenizer) {}

  private ExecutorModels() {}

  static Loaded get(String path, String contentHash, String dtype, DeviceChoice device) {
    ModelCache.Loaded m = ModelCache.get(path, contentHash, dtype, device);
    return new Loaded(m.model(), m.tokenizer());
  }

  /** How many distinct models this JVM holds (tests check that tasks share one). */
  static int size() {
    return ModelCache.size();
  }
}
