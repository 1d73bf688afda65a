package io.fedit.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedit.safetensors.DType;
import io.fedit.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a Hugging Face model directory that {@link ModelWeights#load} and transformers'
 * {@code from_pretrained} read: the weights as safetensors in a chosen dtype (one model.safetensors, or
 * shards model-0000i-of-0000n.safetensors with model.safetensors.index.json when they exceed a size limit,
 * as transformers' {@code save_pretrained(max_shard_size=...)} does), and the base's config and tokenizer
 * files copied unchanged.
 */
public final class ModelWriter {
  /** The non-weight files of a model directory that are copied when present. */
  public static final List<String> SIDE_FILES = List.of("config.json", "generation_config.json", "tokenizer.json",
      "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model", "vocab.json", "merges.txt",
      "added_tokens.json");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelWriter() {}

  /** Copies the {@link #SIDE_FILES} that exist in {@code from} into {@code to}; returns their names. */
  public static List<String> copySideFiles(Path from, FileSystem fromFs, Path to, FileSystem toFs) throws IOException {
    List<String> copied = new ArrayList<>();
    for (String name : SIDE_FILES) {
      Path src = new Path(from, name);
      if (!fromFs.exists(src)) continue;
      try (InputStream in = fromFs.open(src); OutputStream out = toFs.create(new Path(to, name), false)) {
        in.transferTo(out);
      }
      copied.add(name);
    }
    if (!copied.contains("config.json")) throw new ModelException(from + " has no config.json");
    return copied;
  }

  /**
   * Writes every tensor of {@code w} (in its order) as {@code dtype} into {@code dir}. Shards are filled in
   * order until the next tensor would pass {@code maxShardBytes}; a tensor larger than the limit gets a
   * shard of its own. Returns the file names written.
   */
  public static List<String> writeWeights(FileSystem fs, Path dir, ModelWeights w, DType dtype, long maxShardBytes)
      throws IOException {
    if (maxShardBytes <= 0) throw new IllegalArgumentException("maxShardBytes must be > 0, got " + maxShardBytes);
    List<Map<String, ModelWeights.Weight>> shards = new ArrayList<>();
    Map<String, ModelWeights.Weight> current = new LinkedHashMap<>();
    long currentBytes = 0, total = 0;
    for (Map.Entry<String, ModelWeights.Weight> e : w.tensors().entrySet()) {
      long bytes = (long) e.getValue().values().length * dtype.bytes();
      if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
        shards.add(current);
        current = new LinkedHashMap<>();
        currentBytes = 0;
      }
      current.put(e.getKey(), e.getValue());
      currentBytes += bytes;
      total += bytes;
    }
    shards.add(current);
    if (shards.size() == 1) {
      writeFile(fs, new Path(dir, ModelWeights.SINGLE_FILE), current, dtype);
      return List.of(ModelWeights.SINGLE_FILE);
    }
    List<String> files = new ArrayList<>();
    Map<String, String> weightMap = new LinkedHashMap<>();
    for (int i = 0; i < shards.size(); i++) {
      String file = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
      writeFile(fs, new Path(dir, file), shards.get(i), dtype);
      for (String name : shards.get(i).keySet()) weightMap.put(name, file);
      files.add(file);
    }
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("metadata", Map.of("total_size", total));
    index.put("weight_map", weightMap);
    try (OutputStream out = fs.create(new Path(dir, ModelWeights.INDEX_FILE), false)) {
      out.write(JSON.writeValueAsBytes(index));
    }
    files.add(ModelWeights.INDEX_FILE);
    return files;
  }

  private static void writeFile(FileSystem fs, Path file, Map<String, ModelWeights.Weight> tensors, DType dtype)
      throws IOException {
    Map<String, SafetensorsWriter.Entry> entries = new LinkedHashMap<>();
    tensors.forEach((name, t) -> entries.put(name, SafetensorsWriter.Entry.of(dtype, t.shape(), t.values())));
    try (OutputStream out = fs.create(file, false)) {
      SafetensorsWriter.writeEntries(out, entries, Map.of("format", "pt")); // transformers requires format=pt
    }
  }
}
