package io.fedit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The shape of a Hugging Face Llama-architecture model, read from config.json and validated; errors name
 * the key. Mistral-style configs (model_type "mistral", no sliding window use for short contexts) also load.
 */
public record LlamaConfig(
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int vocabSize,
    int maxPositions,
    double rmsNormEps,
    double ropeTheta,
    boolean tieWordEmbeddings,
    int bosTokenId,
    int eosTokenId) implements java.io.Serializable {

  static final List<String> ARCHITECTURES = List.of("LlamaForCausalLM", "MistralForCausalLM");
  static final List<String> MODEL_TYPES = List.of("llama", "mistral");

  public LlamaConfig {
    positive("hidden_size", hiddenSize);
    positive("intermediate_size", intermediateSize);
    positive("num_hidden_layers", numLayers);
    positive("num_attention_heads", numHeads);
    positive("num_key_value_heads", numKvHeads);
    positive("vocab_size", vocabSize);
    positive("max_position_embeddings", maxPositions);
    if (hiddenSize % numHeads != 0) {
      throw new ModelException("hidden_size (" + hiddenSize + ") must be divisible by num_attention_heads (" + numHeads + ")");
    }
    if (numHeads % numKvHeads != 0) {
      throw new ModelException("num_attention_heads (" + numHeads + ") must be divisible by num_key_value_heads ("
          + numKvHeads + ")");
    }
    if ((hiddenSize / numHeads) % 2 != 0) throw new ModelException("head dimension must be even for rotary embeddings");
    if (!(rmsNormEps > 0)) throw new ModelException("rms_norm_eps must be > 0, got " + rmsNormEps);
    if (!(ropeTheta > 0)) throw new ModelException("rope_theta must be > 0, got " + ropeTheta);
  }

  private static void positive(String key, int v) {
    if (v <= 0) throw new ModelException("config key '" + key + "' must be > 0, got " + v);
  }

  /** Per-head dimension. */
  public int headDim() {
    return hiddenSize / numHeads;
  }

  /** Width of the K and V projections (num_key_value_heads * head_dim). */
  public int kvDim() {
    return numKvHeads * headDim();
  }

  /** Shape of llama2.c's stories15M (dim 288, 6 layers, 6 heads, vocab 32000), for benchmarks of random weights. */
  public static LlamaConfig stories15M() {
    return new LlamaConfig(288, 768, 6, 6, 6, 32000, 256, 1e-5, 10000.0, true, 1, 2);
  }

  /** Reads and validates a config.json. */
  public static LlamaConfig parse(InputStream in, String source) throws IOException {
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) throw new ModelException(source + " is not a JSON object");
    JsonNode arch = n.get("architectures");
    if (arch != null && arch.isArray() && arch.size() > 0 && !ARCHITECTURES.contains(arch.get(0).asText())) {
      throw new ModelException(source + ": unsupported architecture '" + arch.get(0).asText() + "' in key 'architectures'"
          + " (supported: " + ARCHITECTURES + ")");
    }
    String type = n.path("model_type").asText("llama");
    if (!MODEL_TYPES.contains(type)) {
      throw new ModelException(source + ": unsupported model_type '" + type + "' (supported: " + MODEL_TYPES + ")");
    }
    String act = n.path("hidden_act").asText("silu");
    if (!act.equals("silu")) throw new ModelException(source + ": unsupported hidden_act '" + act + "' (only silu)");
    if (n.path("attention_bias").asBoolean(false) || n.path("mlp_bias").asBoolean(false)) {
      throw new ModelException(source + ": attention_bias/mlp_bias = true is not supported");
    }
    JsonNode scaling = n.get("rope_scaling");
    if (scaling != null && !scaling.isNull()) {
      throw new ModelException(source + ": key 'rope_scaling' is set (" + scaling + "); only unscaled RoPE is supported");
    }
    int hidden = required(n, "hidden_size", source);
    int heads = required(n, "num_attention_heads", source);
    if (n.has("head_dim") && !n.get("head_dim").isNull() && n.get("head_dim").asInt() != hidden / heads) {
      throw new ModelException(source + ": key 'head_dim' = " + n.get("head_dim").asInt()
          + " differs from hidden_size / num_attention_heads = " + hidden / heads);
    }
    return new LlamaConfig(
        hidden,
        required(n, "intermediate_size", source),
        required(n, "num_hidden_layers", source),
        heads,
        n.has("num_key_value_heads") ? n.get("num_key_value_heads").asInt() : heads,
        required(n, "vocab_size", source),
        n.path("max_position_embeddings").asInt(2048),
        n.path("rms_norm_eps").asDouble(1e-6),
        n.path("rope_theta").asDouble(10000.0),
        n.path("tie_word_embeddings").asBoolean(false),
        n.path("bos_token_id").asInt(1),
        firstInt(n.get("eos_token_id"), 2));
  }

  private static int required(JsonNode n, String key, String source) {
    JsonNode v = n.get(key);
    if (v == null || !v.canConvertToInt()) throw new ModelException(source + ": missing or non-integer key '" + key + "'");
    return v.asInt();
  }

  /** eos_token_id may be a list (Llama 3); the first one is used. */
  private static int firstInt(JsonNode v, int dflt) {
    if (v == null || v.isNull()) return dflt;
    if (v.isArray()) return v.size() == 0 ? dflt : v.get(0).asInt();
    return v.asInt();
  }
}
