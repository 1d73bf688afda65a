package io.fedit.bench;

import io.fedit.fs.ContentHashCache;
import io.fedit.model.FiniteValues;
import io.fedit.model.LlamaConfig;
import io.fedit.model.ModelWeights;
import io.fedit.round.InputHashes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;

/**
 * What the model checks cost (docs/MODEL_CHECKS.md): the base model's content hash (SHA-256 streamed through the
 * Hadoop filesystem, as InputHashes reads it) over a model directory, uncached and then cached; the NaN/Inf scan
 * of the float32 weights as the loader runs it, on the shipped model and on a 110M-shaped model of random weights.
 *
 * <p>Usage: {@code ModelCheckCost MODEL_DIR [BIG_MODEL_DIR]}; BIG_MODEL_DIR holds config.json and a large
 * *.safetensors file (any bytes: the hash does not parse them).
 */
final class ModelCheckCost {
  private ModelCheckCost() {}

  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    Path cacheDir = Files.createTempDirectory("hash-cache");
    ContentHashCache cache = new ContentHashCache(cacheDir, 0);
    for (int i = 1; i < args.length; i++) {
      Path dir = Path.of(args[i]);
      long bytes = 0;
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) bytes += Files.size(f);
      }
      for (int rep = 0; rep < 2; rep++) {
        long t0 = System.nanoTime();
        InputHashes.model(dir.toString(), conf, new ContentHashCache(cacheDir, Long.MAX_VALUE)); // never cached
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "hash %s: %.2f GB in %.2f s = %.0f MB/s%n", dir, bytes / 1e9, s, bytes / s / 1e6);
      }
      InputHashes.model(dir.toString(), conf, cache);
      long t0 = System.nanoTime();
      InputHashes.model(dir.toString(), conf, cache);
      System.out.printf(Locale.ROOT, "hash %s cached: %.1f ms%n", dir, (System.nanoTime() - t0) / 1e6);
    }
    scan("shipped " + args[0], ModelWeights.load(Path.of(args[0])));
    scan("110M-shape (random)", ModelWeights.random(LlamaConfig.stories110M(), 1));
  }

  private static void scan(String label, ModelWeights w) {
    long values = 0;
    for (ModelWeights.Weight t : w.tensors().values()) values += t.values().length;
    double best = Double.MAX_VALUE;
    for (int rep = 0; rep < 5; rep++) {
      long t0 = System.nanoTime();
      for (var e : w.tensors().entrySet()) FiniteValues.require(e.getValue().values(), e.getKey(), label);
      best = Math.min(best, (System.nanoTime() - t0) / 1e9);
    }
    System.out.printf(Locale.ROOT, "NaN/Inf scan %s: %d values in %.1f ms (best of 5) = %.2f GB/s of float32%n", label,
        values, best * 1e3, values * 4 / best / 1e9);
  }
}
