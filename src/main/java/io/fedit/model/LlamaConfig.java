package io.fedit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The shape of a decoder of the Llama family, read from a Hugging Face config.json and validated; errors name
 * the key. One forward pass serves every supported family; what differs between them is data here:
 * <pre>
 *   model_type  architecture        biases                                  other keys read
 *   llama       LlamaForCausalLM    attention_bias (q,k,v,o), mlp_bias      head_dim, rope_scaling
 *   mistral     MistralForCausalLM  none                                    head_dim (may be null), sliding_window
 *   qwen2       Qwen2ForCausalLM    q,k,v always, o never                   use_sliding_window, sliding_window
 * </pre>
 * All read rope_theta, rope_scaling (linear, dynamic, llama3), tie_word_embeddings, rms_norm_eps.
 *
 * @param headDim       D, per-head width; may differ from hidden_size / num_attention_heads
 * @param ropeScaling   null for plain RoPE
 * @param slidingWindow 0 when the family/config has none; else sequences longer than it are refused
 * @param eosTokenId    the EOS appended to training examples (the first of a list, as Llama 3 writes it)
 * @param stopTokenIds  every id of eos_token_id: generation stops at any of them (Llama 3.1 Instruct lists
 *                      end_of_text, eom and eot)
 */
public record LlamaConfig(
    String modelType,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    int vocabSize,
    int maxPositions,
    double rmsNormEps,
    double ropeTheta,
    RopeScaling ropeScaling,
    boolean tieWordEmbeddings,
    boolean qkvBias,
    boolean oBias,
    boolean mlpBias,
    int slidingWindow,
    int bosTokenId,
    int eosTokenId,
    List<Integer> stopTokenIds) implements java.io.Serializable {

  /** model_type -> the architecture name transformers writes for it. */
  static final Map<String, String> FAMILIES =
      Map.of("llama", "LlamaForCausalLM", "mistral", "MistralForCausalLM", "qwen2", "Qwen2ForCausalLM");
  static final List<String> MODEL_TYPES = List.of("llama", "mistral", "qwen2");
  /** Keys of mixture-of-experts configs: their presence means a model this forward pass cannot run. */
  static final List<String> MOE_KEYS =
      List.of("num_local_experts", "num_experts", "num_experts_per_tok", "moe_intermediate_size", "n_routed_experts");

  public LlamaConfig {
    if (!MODEL_TYPES.contains(modelType)) {
      throw new ModelException("unsupported model_type '" + modelType + "' (supported: " + MODEL_TYPES + ")");
    }
    positive("hidden_size", hiddenSize);
    positive("intermediate_size", intermediateSize);
    positive("num_hidden_layers", numLayers);
    positive("num_attention_heads", numHeads);
    positive("num_key_value_heads", numKvHeads);
    positive("head_dim", headDim);
    positive("vocab_size", vocabSize);
    positive("max_position_embeddings", maxPositions);
    if (numHeads % numKvHeads != 0) {
      throw new ModelException("num_attention_heads (" + numHeads + ") must be divisible by num_key_value_heads ("
          + numKvHeads + ")");
    }
    if (headDim % 2 != 0) throw new ModelException("head_dim (" + headDim + ") must be even for rotary embeddings");
    if (!(rmsNormEps > 0)) throw new ModelException("rms_norm_eps must be > 0, got " + rmsNormEps);
    if (!(ropeTheta > 0)) throw new ModelException("rope_theta must be > 0, got " + ropeTheta);
    if (slidingWindow < 0) throw new ModelException("sliding_window must be >= 0, got " + slidingWindow);
    stopTokenIds = stopTokenIds == null || stopTokenIds.isEmpty() ? List.of(eosTokenId) : List.copyOf(stopTokenIds);
  }

  /** A plain Llama (no biases, no RoPE scaling, D = hidden / heads), e.g. for random-weight benchmark shapes. */
  public LlamaConfig(int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads, int vocabSize,
      int maxPositions, double rmsNormEps, double ropeTheta, boolean tieWordEmbeddings, int bosTokenId, int eosTokenId) {
    this("llama", hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, evenSplit(hiddenSize, numHeads),
        vocabSize, maxPositions, rmsNormEps, ropeTheta, null, tieWordEmbeddings, false, false, false, 0, bosTokenId,
        eosTokenId, List.of(eosTokenId));
  }

  private static int evenSplit(int hidden, int heads) {
    if (heads <= 0 || hidden % heads != 0) {
      throw new ModelException("hidden_size (" + hidden + ") must be divisible by num_attention_heads (" + heads + ")");
    }
    return hidden / heads;
  }

  private static void positive(String key, int v) {
    if (v <= 0) throw new ModelException("config key '" + key + "' must be > 0, got " + v);
  }

  /** Width of the Q projection's output and the O projection's input (num_attention_heads * head_dim). */
  public int qDim() {
    return numHeads * headDim;
  }

  /** Width of the K and V projections (num_key_value_heads * head_dim). */
  public int kvDim() {
    return numKvHeads * headDim;
  }

  /**
   * The longest sequence (prompt + generated, or a training example) the forward pass runs:
   * max_position_embeddings, or the sliding window when smaller (beyond it full attention would be wrong).
   */
  public int maxSequence() {
    return slidingWindow > 0 ? Math.min(maxPositions, slidingWindow) : maxPositions;
  }

  /** Refuses a sequence of {@code positions} that {@link #maxSequence()} does not hold, saying which limit. */
  public void requireFits(int positions) {
    if (positions > maxPositions) {
      throw new ModelException("sequence of " + positions + " positions exceeds max_position_embeddings " + maxPositions);
    }
    if (slidingWindow > 0 && positions > slidingWindow) {
      throw new ModelException("sequence of " + positions + " positions needs " + modelType + " sliding-window "
          + "attention (sliding_window " + slidingWindow + "), which is not implemented; keep data.cutoff_len and "
          + "prompt + new tokens <= " + slidingWindow);
    }
  }

  /** The architecture name transformers writes for this model_type. */
  public String architecture() {
    return FAMILIES.get(modelType);
  }

  /** Shape of llama2.c's stories15M (dim 288, 6 layers, 6 heads, vocab 32000), for benchmarks of random weights. */
  public static LlamaConfig stories15M() {
    return new LlamaConfig(288, 768, 6, 6, 6, 32000, 256, 1e-5, 10000.0, true, 1, 2);
  }

  /**
   * Shape of llama2.c's stories110M (dim 768, 12 layers, 12 heads, hidden 2048, vocab 32000; positions cut to 256),
   * for benchmarks of random weights where matrix work dominates.
   */
  public static LlamaConfig stories110M() {
    return new LlamaConfig(768, 2048, 12, 12, 12, 32000, 256, 1e-5, 10000.0, true, 1, 2);
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
    String type = n.path("model_type").asText("llama");
    if (!MODEL_TYPES.contains(type)) {
      throw new ModelException(source + ": unsupported model_type '" + type + "' (supported: " + MODEL_TYPES + ")");
    }
    JsonNode arch = n.get("architectures");
    if (arch != null && arch.isArray() && arch.size() > 0 && !arch.get(0).asText().equals(FAMILIES.get(type))) {
      throw new ModelException(source + ": unsupported architecture '" + arch.get(0).asText() + "' in key 'architectures'"
          + " for model_type '" + type + "' (supported: " + FAMILIES.get(type) + ")");
    }
    for (String k : MOE_KEYS) {
      if (n.hasNonNull(k)) throw new ModelException(source + ": key '" + k + "' (mixture of experts) is not supported");
    }
    String act = n.path("hidden_act").asText("silu");
    if (!act.equals("silu")) throw new ModelException(source + ": unsupported hidden_act '" + act + "' (only silu)");
    if (n.hasNonNull("partial_rotary_factor") && n.get("partial_rotary_factor").asDouble() != 1.0) {
      throw new ModelException(source + ": key 'partial_rotary_factor' = " + n.get("partial_rotary_factor")
          + " is not supported (only 1.0)");
    }
    int hidden = required(n, "hidden_size", source);
    int heads = required(n, "num_attention_heads", source);
    int vocab = required(n, "vocab_size", source);
    int headDim = n.hasNonNull("head_dim") ? size(n, "head_dim", 0, source) : evenSplit(hidden, heads);
    boolean qkvBias, oBias, mlpBias;
    int window = 0;
    List<Integer> eos = eosIds(n.get("eos_token_id"), vocab, source);
    int bos = tokenId(n, "bos_token_id", 1, vocab, source);
    tokenId(n, "pad_token_id", 0, vocab, source); // not used, but an id the embedding lacks is a broken config
    switch (type) {
      case "llama" -> {
        qkvBias = oBias = n.path("attention_bias").asBoolean(false);
        mlpBias = n.path("mlp_bias").asBoolean(false);
      }
      case "mistral" -> {
        refuseTrue(n, source, type, "attention_bias", "mlp_bias");
        qkvBias = oBias = mlpBias = false;
        window = nonNegative(n, "sliding_window", source); // null: no window
      }
      default -> { // qwen2
        refuseTrue(n, source, type, "attention_bias", "mlp_bias");
        qkvBias = true;
        oBias = mlpBias = false;
        if (n.path("use_sliding_window").asBoolean(false)) window = nonNegative(n, "sliding_window", source);
      }
    }
    return new LlamaConfig(
        type,
        hidden,
        required(n, "intermediate_size", source),
        required(n, "num_hidden_layers", source),
        heads,
        size(n, "num_key_value_heads", heads, source),
        headDim,
        vocab,
        size(n, "max_position_embeddings", 2048, source),
        number(n, "rms_norm_eps", 1e-6, source),
        number(n, "rope_theta", 10000.0, source),
        RopeScaling.parse(n.get("rope_scaling"), source),
        n.path("tie_word_embeddings").asBoolean(false),
        qkvBias,
        oBias,
        mlpBias,
        window,
        bos,
        eos.get(0),
        eos);
  }

  private static void refuseTrue(JsonNode n, String source, String type, String... keys) {
    for (String k : keys) {
      if (n.path(k).asBoolean(false)) {
        throw new ModelException(source + ": key '" + k + "' = true is not supported for model_type '" + type
            + "' (only llama has it)");
      }
    }
  }

  /** A size that must be present: a positive integer. */
  private static int required(JsonNode n, String key, String source) {
    if (!n.hasNonNull(key)) throw new ModelException(source + ": missing key '" + key + "' (a positive integer)");
    return size(n, key, 0, source);
  }

  /** A size (a positive integer), {@code absent} when the key is missing or null. */
  private static int size(JsonNode n, String key, int absent, String source) {
    if (!n.hasNonNull(key)) return absent;
    int v = integer(n.get(key), key, source);
    if (v <= 0) throw new ModelException(source + ": key '" + key + "' must be > 0, got " + v);
    return v;
  }

  /** An integer >= 0, 0 when missing or null (sliding_window). */
  private static int nonNegative(JsonNode n, String key, String source) {
    if (!n.hasNonNull(key)) return 0;
    int v = integer(n.get(key), key, source);
    if (v < 0) throw new ModelException(source + ": key '" + key + "' must be >= 0, got " + v);
    return v;
  }

  /**
   * A JSON integer (a whole number written as 4096.0 too). Jackson's asInt would read 2.5 as 2 and "five" as 0,
   * which turned a broken config into another model; so a fraction, a string or a boolean is refused by name.
   */
  private static int integer(JsonNode v, String key, String source) {
    boolean whole = v.isIntegralNumber() || v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue());
    if (!whole || !v.canConvertToInt()) {
      throw new ModelException(source + ": key '" + key + "' must be an integer, got " + v);
    }
    return v.asInt();
  }

  /** A finite JSON number, {@code absent} when missing or null. */
  private static double number(JsonNode n, String key, double absent, String source) {
    if (!n.hasNonNull(key)) return absent;
    JsonNode v = n.get(key);
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      throw new ModelException(source + ": key '" + key + "' must be a number, got " + v);
    }
    return v.doubleValue();
  }

  /** A token id: an integer in [0, vocab_size), {@code absent} when missing or null. */
  private static int tokenId(JsonNode n, String key, int absent, int vocab, String source) {
    return n.hasNonNull(key) ? checkedId(n.get(key), key, vocab, source) : absent;
  }

  private static int checkedId(JsonNode v, String key, int vocab, String source) {
    int id = integer(v, key, source);
    if (id < 0 || id >= vocab) {
      throw new ModelException(source + ": key '" + key + "' = " + id + " is not a token id of this model (vocab_size "
          + vocab + ")");
    }
    return id;
  }

  /** eos_token_id: a number, a list (Llama 3), or absent (2, as in Llama 1/2); every id inside the vocabulary. */
  private static List<Integer> eosIds(JsonNode v, int vocab, String source) {
    if (v == null || v.isNull() || (v.isArray() && v.size() == 0)) return List.of(2);
    if (!v.isArray()) return List.of(checkedId(v, "eos_token_id", vocab, source));
    java.util.List<Integer> ids = new java.util.ArrayList<>();
    for (JsonNode id : v) ids.add(checkedId(id, "eos_token_id", vocab, source));
    return ids;
  }

  /** Whether generation stops at this token (any id of eos_token_id). */
  public boolean isStopToken(long id) {
    return stopTokenIds.contains((int) id);
  }
}
