package io.fedit.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * config.json's {@code rope_scaling}: how the rotary frequencies are changed for longer contexts. The
 * computation follows transformers' {@code modeling_rope_utils.py}: {@code _compute_linear_scaling_rope_parameters},
 * {@code _compute_dynamic_ntk_parameters} and {@code _compute_llama3_parameters}; see {@link #apply}.
 *
 * @param type                 linear, dynamic or llama3
 * @param factor               the context extension factor (>= 1)
 * @param lowFreqFactor        llama3 only
 * @param highFreqFactor       llama3 only
 * @param originalMaxPositions llama3: the pre-training context (original_max_position_embeddings)
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
    int originalMaxPositions) implements java.io.Serializable {
  public static final List<String> TYPES = List.of("linear", "dynamic", "llama3");

  /**
   * Parses the object; null or {"type": "default"} means no scaling (returns null). The type is read from
   * "rope_type", else "type", as transformers does.
   */
  static RopeScaling parse(JsonNode n, String source) {
    if (n == null || n.isNull()) return null;
    if (!n.isObject()) throw new ModelException(source + ": key 'rope_scaling' must be an object or null, got " + n);
    JsonNode t = n.has("rope_type") ? n.get("rope_type") : n.get("type");
    String type = t == null || t.isNull() ? "" : t.asText().toLowerCase(Locale.ROOT);
    if (type.equals("default")) return null;
    if (!TYPES.contains(type)) {
      throw new ModelException(source + ": rope_scaling type '" + type + "' is not supported (supported: " + TYPES
          + " or none)");
    }
    double factor = number(n, "factor", source);
    if (!(factor >= 1)) throw new ModelException(source + ": rope_scaling.factor must be >= 1, got " + factor);
    if (!type.equals("llama3")) return new RopeScaling(type, factor, 0, 0, 0);
    double low = number(n, "low_freq_factor", source), high = number(n, "high_freq_factor", source);
    if (!(high > low)) {
      throw new ModelException(source + ": rope_scaling.high_freq_factor (" + high + ") must be > low_freq_factor ("
          + low + ")");
    }
    int original = (int) number(n, "original_max_position_embeddings", source);
    if (original <= 0) throw new ModelException(source + ": rope_scaling.original_max_position_embeddings must be > 0");
    return new RopeScaling(type, factor, low, high, original);
  }

  private static double number(JsonNode n, String key, String source) {
    JsonNode v = n.get(key);
    if (v == null || !v.isNumber()) {
      throw new ModelException(source + ": rope_scaling needs a number '" + key + "' for type '"
          + n.path("rope_type").asText(n.path("type").asText()) + "'");
    }
    return v.asDouble();
  }

  /**
   * Scales the default inverse frequencies (float32, as transformers keeps them) in place.
   *
   * @param seqLen       positions the forward covers; dynamic scaling changes the base only when it exceeds
   *                     maxPositions (this system never runs past max_position_embeddings, so dynamic keeps
   *                     the default frequencies, exactly as transformers does at those lengths)
   */
  void apply(float[] invFreq, double theta, int headDim, int maxPositions, int seqLen) {
    switch (type) {
      case "linear" -> { // inv_freq /= factor
        for (int i = 0; i < invFreq.length; i++) invFreq[i] = (float) (invFreq[i] / factor);
      }
      case "dynamic" -> { // base *= (factor * L / max - (factor - 1)) ** (dim / (dim - 2)), L = max(seqLen, max)
        int len = Math.max(seqLen, maxPositions);
        if (len == maxPositions) return; // the bracket is exactly 1
        double base = theta * Math.pow(factor * len / maxPositions - (factor - 1), headDim / (headDim - 2.0));
        for (int i = 0; i < invFreq.length; i++) invFreq[i] = (float) (1.0 / Math.pow(base, (2.0 * i) / headDim));
      }
      case "llama3" -> {
        // Wavelengths shorter than original/high keep their frequency, longer than original/low are divided
        // by factor, and those between are interpolated with smooth = (original/wavelen - low) / (high - low).
        double lowWavelen = originalMaxPositions / lowFreqFactor, highWavelen = originalMaxPositions / highFreqFactor;
        for (int i = 0; i < invFreq.length; i++) {
          float f = invFreq[i];
          float wavelen = (float) (2 * Math.PI / f);
          if (wavelen > lowWavelen) {
            invFreq[i] = (float) (f / factor);
          } else if (wavelen >= highWavelen) {
            float smooth = (float) ((originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor));
            invFreq[i] = (float) ((1 - smooth) * f / factor + smooth * f);
          }
        }
      }
      default -> throw new IllegalStateException(type);
    }
  }
}
