package io.fedit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.safetensors.DType;
import io.fedit.safetensors.SafetensorsReader;
import io.fedit.safetensors.TensorInfo;
import io.fedit.seeds.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A checkpoint as plain Java data: the config and every tensor the forward pass needs (float32, Hugging Face
 * names), loaded from model.safetensors or a sharded model.safetensors.index.json on any Hadoop filesystem,
 * or initialised at random. Every expected tensor is checked for presence and shape. {@link #storageDtype}
 * remembers the checkpoint's own dtype (F32, F16 or BF16) so that an export can write the same.
 */
public final class ModelWeights {
  /** A loaded tensor: shape and row-major float32 values. */
  public record Weight(long[] shape, float[] values) {}

  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private final LlamaConfig config;
  private final Map<String, Weight> weights;
  private final DType storageDtype;

  public ModelWeights(LlamaConfig config, Map<String, Weight> weights) {
    this(config, weights, DType.F32);
  }

  public ModelWeights(LlamaConfig config, Map<String, Weight> weights, DType storageDtype) {
    this.config = config;
    this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    this.storageDtype = storageDtype;
  }

  /** The dtype the checkpoint stored its weights in (that of the token embedding). */
  public DType storageDtype() {
    return storageDtype;
  }

  /** The same config and dtype with other tensor values (same names and shapes). */
  public ModelWeights withTensors(Map<String, Weight> replaced) {
    Map<String, Weight> m = new LinkedHashMap<>(weights);
    for (Map.Entry<String, Weight> e : replaced.entrySet()) {
      Weight old = get(e.getKey());
      if (!Arrays.equals(old.shape(), e.getValue().shape())) {
        throw new IllegalArgumentException(e.getKey() + ": shape " + Arrays.toString(e.getValue().shape())
            + " differs from " + Arrays.toString(old.shape()));
      }
      m.put(e.getKey(), e.getValue());
    }
    return new ModelWeights(config, m, storageDtype);
  }

  public LlamaConfig config() {
    return config;
  }

  public Weight get(String name) {
    Weight w = weights.get(name);
    if (w == null) throw new ModelException("missing tensor '" + name + "'");
    return w;
  }

  /** Every tensor the model reads, with its expected shape, in a stable order (biases where the family has them). */
  public static Map<String, long[]> expectedShapes(LlamaConfig c) {
    Map<String, long[]> m = new LinkedHashMap<>();
    long h = c.hiddenSize(), v = c.vocabSize();
    m.put("model.embed_tokens.weight", new long[] {v, h});
    for (int i = 0; i < c.numLayers(); i++) {
      m.put("model.layers." + i + ".input_layernorm.weight", new long[] {h});
      for (Projection p : Projection.ALL) {
        if (p == Projection.GATE_PROJ) m.put("model.layers." + i + ".post_attention_layernorm.weight", new long[] {h});
        m.put(p.prefix(i) + ".weight", new long[] {p.outFeatures(c), p.inFeatures(c)});
        if (p.hasBias(c)) m.put(p.prefix(i) + ".bias", new long[] {p.outFeatures(c)});
      }
    }
    m.put("model.norm.weight", new long[] {h});
    if (!c.tieWordEmbeddings()) m.put("lm_head.weight", new long[] {v, h});
    return m;
  }

  /** Loads a local model directory. */
  public static ModelWeights load(java.nio.file.Path dir) throws IOException {
    return load(new Path(dir.toAbsolutePath().toUri()), new Configuration());
  }

  /** Loads config.json and the weights of a model directory on any Hadoop filesystem. */
  public static ModelWeights load(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    LlamaConfig config = loadConfig(dir, conf);
    Path single = new Path(dir, SINGLE_FILE);
    Path index = new Path(dir, INDEX_FILE);
    Map<String, long[]> expected = expectedShapes(config);
    // tensor name -> the file holding it
    Map<String, Path> where = new LinkedHashMap<>();
    if (fs.exists(single)) {
      for (String name : expected.keySet()) where.put(name, single);
    } else if (fs.exists(index)) {
      JsonNode map;
      try (InputStream in = fs.open(index)) {
        map = new ObjectMapper().readTree(in).get("weight_map");
      }
      if (map == null || !map.isObject()) throw new ModelException(index + " has no 'weight_map' object");
      for (String name : expected.keySet()) {
        JsonNode f = map.get(name);
        if (f == null) throw new ModelException(index + ": weight_map lacks tensor '" + name + "'");
        where.put(name, new Path(dir, f.asText()));
      }
    } else {
      throw new ModelException(dir + " has neither model.safetensors nor model.safetensors.index.json");
    }
    Map<Path, Map<String, long[]>> byFile = new TreeMap<>();
    for (Map.Entry<String, Path> e : where.entrySet()) {
      byFile.computeIfAbsent(e.getValue(), k -> new LinkedHashMap<>()).put(e.getKey(), expected.get(e.getKey()));
    }
    Map<String, Weight> loaded = new LinkedHashMap<>();
    DType stored = DType.F32;
    for (Map.Entry<Path, Map<String, long[]>> f : byFile.entrySet()) {
      try (SafetensorsReader r = SafetensorsReader.open(f.getKey(), conf)) {
        for (Map.Entry<String, long[]> t : f.getValue().entrySet()) {
          TensorInfo info = r.tensors().get(t.getKey());
          if (info == null) throw new ModelException(f.getKey() + ": missing tensor '" + t.getKey() + "'");
          if (!Arrays.equals(info.shape(), t.getValue())) {
            throw new ModelException(f.getKey() + ": tensor '" + t.getKey() + "' has shape "
                + Arrays.toString(info.shape()) + ", expected " + Arrays.toString(t.getValue()));
          }
          if (t.getKey().equals("model.embed_tokens.weight")) stored = info.dtype();
          float[] values = r.readFloats(t.getKey());
          FiniteValues.require(values, t.getKey(), f.getKey().toString());
          loaded.put(t.getKey(), new Weight(info.shape(), values));
        }
      }
    }
    Map<String, Weight> ordered = new LinkedHashMap<>();
    for (String name : expected.keySet()) ordered.put(name, loaded.get(name));
    return new ModelWeights(config, ordered, stored);
  }

  /** Reads dir/config.json. */
  public static LlamaConfig loadConfig(Path dir, Configuration conf) throws IOException {
    Path file = new Path(dir, "config.json");
    FileSystem fs = file.getFileSystem(conf);
    if (!fs.exists(file)) throw new ModelException(dir + " has no config.json");
    try (InputStream in = fs.open(file)) {
      return LlamaConfig.parse(in, file.toString());
    }
  }

  /**
   * Random weights for benchmarks: linear and embedding weights and biases ~ N(0, 0.02) (HF's
   * initializer_range), norm weights 1. Deterministic in {@code seed}.
   */
  public static ModelWeights random(LlamaConfig config, long seed) {
    return random(config, seed, 0.02);
  }

  /** As {@link #random(LlamaConfig, long)} with another standard deviation (test fixtures use larger ones). */
  public static ModelWeights random(LlamaConfig config, long seed, double std) {
    Random rnd = Seeds.legacyStream(seed);
    Map<String, Weight> m = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
      long n = 1;
      for (long d : e.getValue()) n *= d;
      float[] v = new float[Math.toIntExact(n)];
      if (e.getKey().endsWith("norm.weight")) {
        Arrays.fill(v, 1f);
      } else {
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * std);
      }
      m.put(e.getKey(), new Weight(e.getValue(), v));
    }
    return new ModelWeights(config, m);
  }

  /** All tensors in expected order (e.g. to write a copy of the checkpoint). */
  public Map<String, Weight> tensors() {
    return weights;
  }
}
