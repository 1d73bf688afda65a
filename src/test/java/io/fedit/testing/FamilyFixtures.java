package io.fedit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.model.ModelWeights;
import io.fedit.model.ModelWriter;
import io.fedit.safetensors.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Tiny random-weight models of each supported family, written as transformers writes them: config.json with
 * that family's keys (as {@code PretrainedConfig.to_json_string} prints them, sorted), safetensors weights
 * under transformers' names, and the shipped tiny model's tokenizer.json (vocab 512, BOS 1, EOS 2).
 * Weights are larger than a real initialisation (std 0.15, embeddings 1.0, norms 1 +- 0.1) so that logits
 * are well separated and greedy decoding is not decided by rounding.
 */
public final class FamilyFixtures {
  private FamilyFixtures() {}

  /** Family name -> config.json text. */
  public static final Map<String, String> CONFIGS = new LinkedHashMap<>();

  static {
    String common = "\"attention_dropout\": 0.0, \"bos_token_id\": 1, \"hidden_act\": \"silu\", \"hidden_size\": 64, "
        + "\"initializer_range\": 0.02, \"intermediate_size\": 96, \"max_position_embeddings\": 256, "
        + "\"num_attention_heads\": 4, \"num_hidden_layers\": 2, \"num_key_value_heads\": 2, \"torch_dtype\": \"float32\", "
        + "\"transformers_version\": \"4.46.0\", \"use_cache\": true, \"vocab_size\": 512";
    // Llama 3.1/3.2: llama3 rope scaling (regimes: keep / interpolate / divide all occur at head_dim 24 and
    // original context 64), explicit head_dim != hidden/heads, biases everywhere, untied lm_head, EOS list.
    CONFIGS.put("llama3", "{\"architectures\": [\"LlamaForCausalLM\"], \"attention_bias\": true, " + common
        + ", \"eos_token_id\": [2, 3], \"head_dim\": 24, \"mlp_bias\": true, \"model_type\": \"llama\", \"pretraining_tp\": 1, "
        + "\"rms_norm_eps\": 1e-05, \"rope_scaling\": {\"factor\": 8.0, \"high_freq_factor\": 4.0, \"low_freq_factor\": 1.0, "
        + "\"original_max_position_embeddings\": 64, \"rope_type\": \"llama3\"}, \"rope_theta\": 500000.0, "
        + "\"tie_word_embeddings\": false}");
    // Llama 2 with linear scaling, written the older way ("type").
    CONFIGS.put("llama2-linear", "{\"architectures\": [\"LlamaForCausalLM\"], \"attention_bias\": false, " + common
        + ", \"eos_token_id\": 2, \"mlp_bias\": false, \"model_type\": \"llama\", \"pretraining_tp\": 1, \"rms_norm_eps\": 1e-06, "
        + "\"rope_scaling\": {\"factor\": 4.0, \"type\": \"linear\"}, \"rope_theta\": 10000.0, \"tie_word_embeddings\": false}");
    CONFIGS.put("llama-dynamic", "{\"architectures\": [\"LlamaForCausalLM\"], \"attention_bias\": false, " + common
        + ", \"eos_token_id\": 2, \"mlp_bias\": false, \"model_type\": \"llama\", \"pretraining_tp\": 1, \"rms_norm_eps\": 1e-06, "
        + "\"rope_scaling\": {\"factor\": 2.0, \"rope_type\": \"dynamic\"}, \"rope_theta\": 10000.0, \"tie_word_embeddings\": true}");
    // Mistral: head_dim null, sliding window smaller than max_position_embeddings.
    CONFIGS.put("mistral", "{\"architectures\": [\"MistralForCausalLM\"], " + common
        + ", \"eos_token_id\": 2, \"head_dim\": null, \"model_type\": \"mistral\", \"rms_norm_eps\": 1e-05, "
        + "\"rope_theta\": 1000000.0, \"sliding_window\": 48, \"tie_word_embeddings\": false}");
    // Qwen2/2.5: q/k/v bias, tied embeddings, sliding window off.
    CONFIGS.put("qwen2", "{\"architectures\": [\"Qwen2ForCausalLM\"], " + common
        + ", \"eos_token_id\": 2, \"max_window_layers\": 2, \"model_type\": \"qwen2\", \"rms_norm_eps\": 1e-06, "
        + "\"rope_scaling\": null, \"rope_theta\": 1000000.0, \"sliding_window\": null, \"tie_word_embeddings\": true, "
        + "\"use_sliding_window\": false}");
  }

  /**
   * Writes every family into {@code OUT_DIR/<family>} (F32, one file) and {@code OUT_DIR/<family>-bf16-sharded}
   * (BF16, shards of 64 KiB with an index), for checks outside the JVM (bench/check_with_transformers.sh).
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) throw new IllegalArgumentException("usage: FamilyFixtures OUT_DIR");
    Path out = Path.of(args[0]);
    for (String name : CONFIGS.keySet()) {
      write(name, out.resolve(name));
      write(name, out.resolve(name + "-bf16-sharded"), DType.BF16, 64 * 1024);
      System.out.println(out.resolve(name));
    }
  }

  /** Writes family {@code name} into {@code dir} (single F32 file) and returns dir. */
  public static Path write(String name, Path dir) throws IOException {
    return write(name, dir, DType.F32, Long.MAX_VALUE);
  }

  /** As {@link #write(String, Path)} in {@code dtype}, sharded above {@code maxShardBytes}. */
  public static Path write(String name, Path dir, DType dtype, long maxShardBytes) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("config.json"), CONFIGS.get(name));
    Files.copy(TestPaths.tinyModel().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    ModelWeights shapes = new ModelWeights(
        ModelWeights.loadConfig(new org.apache.hadoop.fs.Path(dir.toUri()), new Configuration()), Map.of());
    FileSystem fs = FileSystem.getLocal(new Configuration());
    ModelWriter.writeWeights(fs, new org.apache.hadoop.fs.Path(dir.toUri()), weights(shapes, name.hashCode()), dtype,
        maxShardBytes);
    return dir;
  }

  /** Random tensors of every name and shape the config needs. */
  private static ModelWeights weights(ModelWeights empty, long seed) {
    Random rnd = new Random(seed);
    Map<String, ModelWeights.Weight> m = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : ModelWeights.expectedShapes(empty.config()).entrySet()) {
      long n = 1;
      for (long d : e.getValue()) n *= d;
      float[] v = new float[(int) n];
      String k = e.getKey();
      for (int i = 0; i < v.length; i++) {
        double g = rnd.nextGaussian();
        v[i] = (float) (k.endsWith("norm.weight") ? 1 + 0.1 * g : k.contains("embed_tokens") ? g : 0.15 * g);
      }
      m.put(k, new ModelWeights.Weight(e.getValue(), v));
    }
    return new ModelWeights(empty.config(), m);
  }

  /** The config.json of a fixture directory as a tree (for the independent reference). */
  public static JsonNode config(Path dir) throws IOException {
    return new ObjectMapper().readTree(dir.resolve("config.json").toFile());
  }
}
