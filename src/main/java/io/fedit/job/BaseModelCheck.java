package io.fedit.job;

import io.fedit.checkpoint.RoundManifest;
import io.fedit.fs.ContentHashCache;
import io.fedit.model.FiniteValues;
import io.fedit.model.LlamaConfig;
import io.fedit.model.ModelException;
import io.fedit.model.ModelWeights;
import io.fedit.model.TokenizerIds;
import io.fedit.round.InputHashes;
import io.fedit.safetensors.SafetensorsReader;
import io.fedit.safetensors.TensorInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks a base model directory on the driver before a job spends anything on it: config.json parses (sizes are
 * positive integers, token ids inside the vocabulary), tokenizer.json's ids are inside the vocabulary, every
 * *.safetensors header is sound (sizes, offsets inside the file), every tensor the model needs is there with its
 * shape, and no weight holds NaN or infinity. The headers cost milliseconds; the NaN scan reads every weight once
 * per (path, length, mtime) of the model's files and remembers the verdict in the user's {@link ContentHashCache}
 * (as the base model's content hash does), so a 16 GB model is read in full once, not at every job start. Without
 * it a broken model surfaced only on the executors, after prepare, as every client failing (exit 5) instead of bad
 * input (exit 3).
 */
final class BaseModelCheck {
  private BaseModelCheck() {}

  static void verify(String modelDir, Configuration conf) throws IOException {
    Path dir = new Path(modelDir);
    FileSystem fs = dir.getFileSystem(conf);
    if (!fs.isDirectory(dir)) throw new ModelException("model.path " + modelDir + " is not a directory");
    LlamaConfig config = ModelWeights.loadConfig(dir, conf);
    Path tokenizer = new Path(dir, "tokenizer.json");
    if (!fs.exists(tokenizer)) throw new ModelException(modelDir + " has no tokenizer.json");
    try (var in = fs.open(tokenizer)) {
      TokenizerIds.requireBelow(in.readAllBytes(), config.vocabSize(), tokenizer.toString());
    }
    Map<String, TensorInfo> found = new HashMap<>();
    Map<String, Path> where = new HashMap<>();
    List<FileStatus> files = new ArrayList<>(List.of(fs.getFileStatus(new Path(dir, "config.json"))));
    FileStatus[] weights = fs.listStatus(dir, p -> p.getName().endsWith(".safetensors"));
    Arrays.sort(weights, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    files.addAll(List.of(weights));
    for (FileStatus st : weights) {
      try (SafetensorsReader r = SafetensorsReader.open(st.getPath(), conf)) {
        for (Map.Entry<String, TensorInfo> t : r.tensors().entrySet()) {
          found.put(t.getKey(), t.getValue());
          where.put(t.getKey(), st.getPath());
        }
      }
    }
    if (found.isEmpty()) throw new ModelException(modelDir + " holds no *.safetensors file with tensors");
    for (Map.Entry<String, long[]> e : ModelWeights.expectedShapes(config).entrySet()) {
      TensorInfo t = found.get(e.getKey());
      if (t == null) throw new ModelException(modelDir + ": no safetensors file holds tensor '" + e.getKey() + "'");
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new ModelException(where.get(e.getKey()) + ": tensor '" + e.getKey() + "' has shape "
            + Arrays.toString(t.shape()) + ", config.json implies " + Arrays.toString(e.getValue()));
      }
    }
    requireFiniteWeights(fs, files, conf);
  }

  /** Every weight file scanned for NaN and infinity, unless this very set of files passed before. */
  private static void requireFiniteWeights(FileSystem fs, List<FileStatus> files, Configuration conf)
      throws IOException {
    ContentHashCache.standard().get("base_model finite v1", files, () -> {
      for (FileStatus st : files.subList(1, files.size())) {
        try (SafetensorsReader r = SafetensorsReader.open(st.getPath(), conf)) {
          FiniteValues.requireFile(fs, st.getPath(), r);
        }
      }
      return "finite";
    });
  }

  /** The round's manifest fingerprints the base it was trained on; an adapter never goes onto another base. */
  static void requireTrainedOn(RoundManifest m, String modelPath, Configuration conf, int round) {
    String trained = m.inputHashes().get("base_model");
    if (trained == null) return; // older manifests
    String now = InputHashes.model(modelPath, conf);
    if (!InputHashes.sameModel(trained, now, modelPath, conf)) {
      throw new ModelException("round " + round + " was trained on another base model than model.path " + modelPath
          + " (manifest base_model " + trained + ", this model " + now + ")");
    }
  }
}
