package io.fedit.model;

import java.util.List;

/**
 * The seven linear projections of a decoder layer: the one table of their Hugging Face / PEFT names, which
 * block holds them, their (in, out) widths and whether the family gives them a bias. Weights are stored by
 * Hugging Face as (out, in) under {@code model.layers.{i}.{block}.{name}.weight}.
 *
 * <p>Widths: H hidden, I intermediate, Hq*D query heads x head dim, Hkv*D key/value heads x head dim.
 */
public enum Projection {
  Q_PROJ("q_proj", "self_attn"), // H -> Hq*D
  K_PROJ("k_proj", "self_attn"), // H -> Hkv*D
  V_PROJ("v_proj", "self_attn"), // H -> Hkv*D
  O_PROJ("o_proj", "self_attn"), // Hq*D -> H
  GATE_PROJ("gate_proj", "mlp"), // H -> I
  UP_PROJ("up_proj", "mlp"), // H -> I
  DOWN_PROJ("down_proj", "mlp"); // I -> H

  /** All, in layer order. */
  public static final List<Projection> ALL = List.of(values());

  private final String peftName;
  private final String block;

  Projection(String peftName, String block) {
    this.peftName = peftName;
    this.block = block;
  }

  /** The module name as transformers and PEFT's target_modules spell it, e.g. "q_proj". */
  public String peftName() {
    return peftName;
  }

  /** "self_attn" or "mlp". */
  public String block() {
    return block;
  }

  /** {@code model.layers.{layer}.self_attn.q_proj}: the prefix of the weight (and bias) tensor names. */
  public String prefix(int layer) {
    return "model.layers." + layer + "." + block + "." + peftName;
  }

  public int inFeatures(LlamaConfig c) {
    return switch (this) {
      case O_PROJ -> c.qDim();
      case DOWN_PROJ -> c.intermediateSize();
      default -> c.hiddenSize();
    };
  }

  public int outFeatures(LlamaConfig c) {
    return switch (this) {
      case Q_PROJ -> c.qDim();
      case K_PROJ, V_PROJ -> c.kvDim();
      case GATE_PROJ, UP_PROJ -> c.intermediateSize();
      default -> c.hiddenSize();
    };
  }

  /** Whether the family's config gives this projection a bias (Qwen2: q/k/v; Llama: attention_bias, mlp_bias). */
  public boolean hasBias(LlamaConfig c) {
    return switch (this) {
      case Q_PROJ, K_PROJ, V_PROJ -> c.qkvBias();
      case O_PROJ -> c.oBias();
      default -> c.mlpBias();
    };
  }

  /** The projection with this PEFT name; an error listing the names otherwise. */
  public static Projection named(String peftName) {
    for (Projection p : ALL) if (p.peftName.equals(peftName)) return p;
    throw new ModelException("unknown projection '" + peftName + "' (supported: " + names() + ")");
  }

  public static List<String> names() {
    return ALL.stream().map(Projection::peftName).toList();
  }
}
