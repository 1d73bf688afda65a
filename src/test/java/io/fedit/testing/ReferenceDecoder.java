package io.fedit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * An independent float64 forward pass of the Llama-family decoders in plain Java, written from the
 * transformers source (v4.46-4.48), not from this project's LlamaModel, to check it:
 * <ul>
 *   <li>{@code models/llama/modeling_llama.py}: LlamaRMSNorm.forward, rotate_half / apply_rotary_pos_emb,
 *       LlamaAttention (q/k/v/o with {@code bias=config.attention_bias}, head_dim from the config,
 *       repeat_kv, scaling head_dim**-0.5, causal softmax), LlamaMLP ({@code bias=config.mlp_bias},
 *       down(silu(gate(x)) * up(x))), LlamaDecoderLayer (pre-norm residuals), LlamaForCausalLM (lm_head,
 *       tied to embed_tokens when tie_word_embeddings).</li>
 *   <li>{@code models/qwen2/modeling_qwen2.py}: Qwen2Attention, q/k/v_proj with bias=True, o_proj bias=False.</li>
 *   <li>{@code models/mistral/modeling_mistral.py}: MistralAttention, no biases, head_dim or hidden/heads.</li>
 *   <li>{@code modeling_rope_utils.py}: _compute_default_rope_parameters, _compute_linear_scaling_rope_parameters,
 *       _compute_dynamic_ntk_parameters, _compute_llama3_parameters.</li>
 * </ul>
 * Weights are a map from transformers tensor name to row-major values; linear weights are (out, in).
 */
public final class ReferenceDecoder {
  private final Map<String, float[]> w;
  private final String type;
  private final int hidden, heads, kvHeads, headDim, inter, layers, vocab, maxPos;
  private final double eps;
  private final boolean tie, qkvBias, oBias, mlpBias;
  private final double[] invFreq;

  public ReferenceDecoder(JsonNode cfg, Map<String, float[]> weights) {
    this.w = weights;
    type = cfg.path("model_type").asText();
    hidden = cfg.get("hidden_size").asInt();
    heads = cfg.get("num_attention_heads").asInt();
    kvHeads = cfg.get("num_key_value_heads").asInt();
    headDim = cfg.hasNonNull("head_dim") ? cfg.get("head_dim").asInt() : hidden / heads;
    inter = cfg.get("intermediate_size").asInt();
    layers = cfg.get("num_hidden_layers").asInt();
    vocab = cfg.get("vocab_size").asInt();
    maxPos = cfg.get("max_position_embeddings").asInt();
    eps = cfg.get("rms_norm_eps").asDouble();
    tie = cfg.path("tie_word_embeddings").asBoolean();
    boolean attnBias = type.equals("llama") && cfg.path("attention_bias").asBoolean();
    qkvBias = attnBias || type.equals("qwen2");
    oBias = attnBias;
    mlpBias = type.equals("llama") && cfg.path("mlp_bias").asBoolean();
    invFreq = inverseFrequencies(cfg, headDim, maxPos);
  }

  /** modeling_rope_utils.py, for a forward over at most max_position_embeddings positions. */
  static double[] inverseFrequencies(JsonNode cfg, int dim, int maxPos) {
    double base = cfg.get("rope_theta").asDouble();
    JsonNode rs = cfg.get("rope_scaling");
    String kind = rs == null || rs.isNull() ? "default" : rs.has("rope_type") ? rs.get("rope_type").asText() : rs.get("type").asText();
    if (kind.equals("dynamic")) {
      int seqLen = maxPos; // seq_len <= max_position_embeddings -> max_position_embeddings
      double factor = rs.get("factor").asDouble();
      base = base * Math.pow(factor * seqLen / maxPos - (factor - 1), dim / (dim - 2.0));
    }
    double[] inv = new double[dim / 2];
    for (int i = 0; i < inv.length; i++) inv[i] = 1.0 / Math.pow(base, (2.0 * i) / dim);
    if (kind.equals("linear")) {
      for (int i = 0; i < inv.length; i++) inv[i] /= rs.get("factor").asDouble();
    } else if (kind.equals("llama3")) {
      double factor = rs.get("factor").asDouble(), low = rs.get("low_freq_factor").asDouble();
      double high = rs.get("high_freq_factor").asDouble(), old = rs.get("original_max_position_embeddings").asDouble();
      double lowWavelen = old / low, highWavelen = old / high;
      for (int i = 0; i < inv.length; i++) {
        double wavelen = 2 * Math.PI / inv[i];
        double scaled = wavelen > lowWavelen ? inv[i] / factor : inv[i];
        double smooth = (old / wavelen - low) / (high - low);
        double smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
        boolean medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
        inv[i] = medium ? smoothed : scaled;
      }
    }
    return inv;
  }

  /** Logits (T, V) for token ids at positions 0..T-1. */
  public double[][] forward(long[] ids) {
    int t = ids.length;
    double[][] x = new double[t][];
    float[] emb = w.get("model.embed_tokens.weight");
    for (int i = 0; i < t; i++) x[i] = row(emb, (int) ids[i], hidden);
    for (int l = 0; l < layers; l++) {
      String p = "model.layers." + l + ".";
      double[][] h = rmsNorm(x, w.get(p + "input_layernorm.weight"));
      double[][] q = linear(h, p + "self_attn.q_proj", qkvBias, heads * headDim);
      double[][] k = linear(h, p + "self_attn.k_proj", qkvBias, kvHeads * headDim);
      double[][] v = linear(h, p + "self_attn.v_proj", qkvBias, kvHeads * headDim);
      rope(q, heads);
      rope(k, kvHeads);
      double[][] attn = new double[t][heads * headDim];
      for (int hd = 0; hd < heads; hd++) {
        int g = hd / (heads / kvHeads); // repeat_kv: query head hd reads KV head hd / n_rep
        for (int i = 0; i < t; i++) {
          double[] s = new double[i + 1];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j <= i; j++) {
            double dot = 0;
            for (int d = 0; d < headDim; d++) dot += q[i][hd * headDim + d] * k[j][g * headDim + d];
            s[j] = dot / Math.sqrt(headDim);
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j <= i; j++) sum += s[j] = Math.exp(s[j] - max);
          for (int j = 0; j <= i; j++) {
            for (int d = 0; d < headDim; d++) attn[i][hd * headDim + d] += s[j] / sum * v[j][g * headDim + d];
          }
        }
      }
      add(x, linear(attn, p + "self_attn.o_proj", oBias, hidden));
      double[][] h2 = rmsNorm(x, w.get(p + "post_attention_layernorm.weight"));
      double[][] gate = linear(h2, p + "mlp.gate_proj", mlpBias, inter);
      double[][] up = linear(h2, p + "mlp.up_proj", mlpBias, inter);
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < inter; j++) gate[i][j] = gate[i][j] / (1 + Math.exp(-gate[i][j])) * up[i][j];
      }
      add(x, linear(gate, p + "mlp.down_proj", mlpBias, hidden));
    }
    double[][] n = rmsNorm(x, w.get("model.norm.weight"));
    float[] head = tie ? emb : w.get("lm_head.weight");
    double[][] logits = new double[t][vocab];
    for (int i = 0; i < t; i++) {
      for (int o = 0; o < vocab; o++) {
        double acc = 0;
        for (int j = 0; j < hidden; j++) acc += n[i][j] * head[o * hidden + j];
        logits[i][o] = acc;
      }
    }
    return logits;
  }

  /** Greedy continuation: the first argmax of the last position's logits, recomputing the whole sequence. */
  public long[] greedy(long[] prompt, int tokens) {
    long[] seq = java.util.Arrays.copyOf(prompt, prompt.length + tokens);
    for (int n = prompt.length; n < seq.length; n++) {
      double[] last = forward(java.util.Arrays.copyOf(seq, n))[n - 1];
      int best = 0;
      for (int i = 1; i < last.length; i++) if (last[i] > last[best]) best = i;
      seq[n] = best;
    }
    return java.util.Arrays.copyOfRange(seq, prompt.length, seq.length);
  }

  /** apply_rotary_pos_emb on (T, heads*D): x*cos + rotate_half(x)*sin, rotate_half(x) = [-x2, x1]. */
  private void rope(double[][] x, int nHeads) {
    int half = headDim / 2;
    for (int pos = 0; pos < x.length; pos++) {
      for (int hd = 0; hd < nHeads; hd++) {
        int o = hd * headDim;
        for (int i = 0; i < half; i++) {
          double a = pos * invFreq[i], x1 = x[pos][o + i], x2 = x[pos][o + i + half];
          x[pos][o + i] = x1 * Math.cos(a) - x2 * Math.sin(a);
          x[pos][o + i + half] = x2 * Math.cos(a) + x1 * Math.sin(a);
        }
      }
    }
  }

  private double[][] rmsNorm(double[][] x, float[] weight) {
    double[][] out = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      double ms = 0;
      for (double v : x[i]) ms += v * v;
      double r = 1 / Math.sqrt(ms / x[i].length + eps);
      out[i] = new double[x[i].length];
      for (int j = 0; j < x[i].length; j++) out[i][j] = x[i][j] * r * weight[j];
    }
    return out;
  }

  /** nn.Linear: x (T, in) -> x W^T + b, W (out, in). */
  private double[][] linear(double[][] x, String name, boolean bias, int out) {
    float[] wt = w.get(name + ".weight");
    float[] b = bias ? w.get(name + ".bias") : null;
    if (wt == null || (bias && b == null)) throw new IllegalArgumentException("reference lacks " + name);
    int in = x[0].length;
    if (wt.length != out * in) throw new IllegalArgumentException(name + " has " + wt.length + " values, expected " + out * in);
    double[][] y = new double[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double acc = b == null ? 0 : b[o];
        for (int j = 0; j < in; j++) acc += x[i][j] * wt[o * in + j];
        y[i][o] = acc;
      }
    }
    return y;
  }

  private static double[] row(float[] m, int r, int width) {
    double[] out = new double[width];
    for (int j = 0; j < width; j++) out[j] = m[r * width + j];
    return out;
  }

  private static void add(double[][] x, double[][] y) {
    for (int i = 0; i < x.length; i++) for (int j = 0; j < x[i].length; j++) x[i][j] += y[i][j];
  }
}
