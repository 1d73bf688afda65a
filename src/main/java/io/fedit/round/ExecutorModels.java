package io.fedit.round;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fedit.model.LlamaConfig;
import io.fedit.model.LlamaModel;
import io.fedit.model.MemoryEstimate;
import io.fedit.model.ModelWeights;
import io.fedit.model.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base model, loaded once per executor JVM and kept across tasks and rounds. Keyed by path, content
 * hash (computed on the driver), compute dtype and device, so a changed checkpoint at the same path is
 * loaded afresh. The model is read-only during training: concurrent tasks share it.
 */
final class ExecutorModels {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
  private static final ConcurrentHashMap<String, Loaded> CACHE = new ConcurrentHashMap<>();

  /** A loaded base model and its tokenizer. */
  record Loaded(LlamaModel model, Tokenizer tokenizer) {}

  private ExecutorModels() {}

  static Loaded get(String path, String contentHash, String dtype, DeviceChoice device) {
    return get(path, contentHash, dtype, device, null);
  }

  /**
   * As {@link #get(String, String, String, DeviceChoice)}; on a GPU, a first load first checks that
   * {@code need} (the per-client estimate for the model's config) fits the GPU's free memory.
   */
  static Loaded get(String path, String contentHash, String dtype, DeviceChoice device,
      Function<LlamaConfig, MemoryEstimate> need) {
    String key = path + "|" + contentHash + "|" + dtype + "|" + device;
    return CACHE.computeIfAbsent(key, k -> load(path, dtype, device, need));
  }

  /** How many distinct models this JVM holds (tests check that tasks share one). */
  static int size() {
    return CACHE.size();
  }

  private static Loaded load(String path, String dtype, DeviceChoice device,
      Function<LlamaConfig, MemoryEstimate> need) {
    long t0 = System.nanoTime();
    try {
      Configuration conf = new Configuration();
      ModelWeights weights = ModelWeights.load(new Path(path), conf);
      Device d = device.isGpu() ? Device.gpu(device.gpu()) : Device.cpu();
      if (need != null) need.apply(weights.config()).requireFitsOn(d);
      // The base manager lives as long as the JVM: the model is cached for all later tasks.
      NDManager base = NDManager.newBaseManager(d);
      LlamaModel model = LlamaModel.create(weights, base, dataType(dtype));
      Tokenizer tokenizer = Tokenizer.load(new Path(path), conf, weights.config());
      LOG.info("loaded base model {} on {} ({}) in {} ms", path, device, dtype, (System.nanoTime() - t0) / 1_000_000);
      return new Loaded(model, tokenizer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load model " + path + ": " + e.getMessage(), e);
    }
  }

  static DataType dataType(String dtype) {
    return switch (dtype) {
      case "float16" -> DataType.FLOAT16;
      case "bfloat16" -> DataType.BFLOAT16;
      default -> DataType.FLOAT32;
    };
  }
}
