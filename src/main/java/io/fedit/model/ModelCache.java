package io.fedit.model;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base model, loaded once per executor JVM and kept across tasks, rounds and jobs (training and
 * evaluation share it). Keyed by path, content hash (computed on the driver), compute dtype and device,
 * so a changed checkpoint at the same path is loaded afresh. The model is read-only: concurrent tasks share it.
 */
public final class ModelCache {
  private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);
  private static final ConcurrentHashMap<String, Loaded> CACHE = new ConcurrentHashMap<>();

  /** A loaded base model and its tokenizer. */
  public record Loaded(LlamaModel model, Tokenizer tokenizer) {}

  private ModelCache() {}

  public static Loaded get(String path, String contentHash, String dtype, DeviceChoice device) {
    return get(path, contentHash, dtype, device, null, null);
  }

  /**
   * The cached base model, loaded on first use.
   *
   * @param need on a GPU, a first load first checks that this per-client estimate for the model's config fits
   *             the GPU's free memory; null = no check
   * @param conf the job's Hadoop configuration (shipped from the driver), used only when loading; null = the
   *             JVM's default configuration
   */
  public static Loaded get(String path, String contentHash, String dtype, DeviceChoice device,
      java.util.function.Function<LlamaConfig, MemoryEstimate> need, Configuration conf) {
    String key = path + "|" + contentHash + "|" + dtype + "|" + device;
    return CACHE.computeIfAbsent(key, k -> load(path, dtype, device, need, conf == null ? new Configuration() : conf));
  }

  /** How many distinct models this JVM holds (tests check that tasks share one). */
  public static int size() {
    return CACHE.size();
  }

  private static Loaded load(String path, String dtype, DeviceChoice device,
      java.util.function.Function<LlamaConfig, MemoryEstimate> need, Configuration conf) {
    long t0 = System.nanoTime();
    try {
      ModelWeights weights = ModelWeights.load(new Path(path), conf);
      Device d = device.isGpu() ? Device.gpu(device.gpu()) : Device.cpu();
      if (need != null) need.apply(weights.config()).requireFitsOn(d);
      // The base manager lives as long as the JVM: the model is cached for all later tasks.
      NDManager base = NDManager.newBaseManager(d);
      LlamaModel model = LlamaModel.create(weights, base, Compute.dtype(dtype));
      Tokenizer tokenizer = Tokenizer.load(new Path(path), conf, weights.config());
      LOG.info("loaded base model {} on {} ({}) in {} ms", path, device, dtype, (System.nanoTime() - t0) / 1_000_000);
      return new Loaded(model, tokenizer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load model " + path + ": " + e.getMessage(), e);
    }
  }
}
