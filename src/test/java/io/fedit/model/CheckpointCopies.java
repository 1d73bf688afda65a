package io.fedit.model;

import io.fedit.safetensors.DType;
import io.fedit.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Writes altered copies of the tiny model for loader tests. */
final class CheckpointCopies {
  private CheckpointCopies() {}

  /** Copies config.json and tokenizer.json of the tiny model into {@code dir}. */
  static void copyConfig(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (String f : new String[] {"config.json", "tokenizer.json"}) {
      Files.copy(TinyModel.dir().resolve(f), dir.resolve(f));
    }
  }

  /** A single model.safetensors, every tensor in {@code dtype}, after {@code edit} of the entry map. */
  static Path single(Path dir, ModelWeights w, DType dtype, UnaryOperator<Map<String, SafetensorsWriter.Entry>> edit)
      throws IOException {
    copyConfig(dir);
    Map<String, SafetensorsWriter.Entry> entries = new LinkedHashMap<>();
    w.tensors().forEach((name, t) -> entries.put(name, SafetensorsWriter.Entry.of(dtype, t.shape(), t.values())));
    try (OutputStream out = Files.newOutputStream(dir.resolve("model.safetensors"))) {
      SafetensorsWriter.writeEntries(out, edit.apply(entries), Map.of("format", "pt"));
    }
    return dir;
  }

  /** The tensors split over {@code shards} files with a model.safetensors.index.json, as HF shards them. */
  static Path sharded(Path dir, ModelWeights w, int shards) throws IOException {
    copyConfig(dir);
    StringBuilder index = new StringBuilder("{\"metadata\": {}, \"weight_map\": {");
    int i = 0, n = w.tensors().size();
    Map<Integer, Map<String, SafetensorsWriter.Entry>> files = new LinkedHashMap<>();
    for (Map.Entry<String, ModelWeights.Weight> e : w.tensors().entrySet()) {
      int shard = i * shards / n;
      String file = String.format("model-%05d-of-%05d.safetensors", shard + 1, shards);
      files.computeIfAbsent(shard, k -> new LinkedHashMap<>())
          .put(e.getKey(), SafetensorsWriter.Entry.of(DType.F32, e.getValue().shape(), e.getValue().values()));
      index.append(i == 0 ? "" : ",").append('"').append(e.getKey()).append("\": \"").append(file).append('"');
      i++;
    }
    index.append("}}");
    for (Map.Entry<Integer, Map<String, SafetensorsWriter.Entry>> f : files.entrySet()) {
      String file = String.format("model-%05d-of-%05d.safetensors", f.getKey() + 1, shards);
      try (OutputStream out = Files.newOutputStream(dir.resolve(file))) {
        SafetensorsWriter.writeEntries(out, f.getValue(), null);
      }
    }
    Files.writeString(dir.resolve("model.safetensors.index.json"), index.toString());
    return dir;
  }
}
