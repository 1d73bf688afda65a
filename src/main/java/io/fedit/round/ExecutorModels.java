package io.fedit.round;

import io.fedit.model.DeviceChoice;
import io.fedit.model.LlamaConfig;
import io.fedit.model.MemoryEstimate;
import io.fedit.model.ModelCache;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;

/** The round's view of the per-executor-JVM model cache ({@link ModelCache}, shared with evaluation). */
final class ExecutorModels {
  /** A loaded base model and its tokenizer. */
  record Loaded(io.fedit.model.LlamaModel model, io.fedit.model.Tokenizer tokenizer) {}

  private ExecutorModels() {}

  /**
   * The cached base model; on a GPU, a first load first checks that {@code need} (the per-client estimate
   * for the model's config; null = no check) fits the GPU's free memory.
   *
   * @param conf the job's Hadoop configuration (shipped from the driver), used only when loading
   */
  static Loaded get(String path, String contentHash, String dtype, DeviceChoice device,
      Function<LlamaConfig, MemoryEstimate> need, Configuration conf) {
    ModelCache.Loaded m = ModelCache.get(path, contentHash, dtype, device, need, conf);
    return new Loaded(m.model(), m.tokenizer());
  }

  /** How many distinct models this JVM holds (tests check that tasks share one). */
  static int size() {
    return ModelCache.size();
  }
}
