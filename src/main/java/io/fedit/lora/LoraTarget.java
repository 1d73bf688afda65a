package io.fedit.lora;

import io.fedit.model.LlamaConfig;
import io.fedit.model.Projection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One adapted projection (layer, module) and its PEFT tensor names; shapes come from {@link Projection}. */
public record LoraTarget(int layer, String module) {
  public LoraTarget {
    Projection.named(module); // refuses names outside the projection table
  }

  public LoraTarget(int layer, Projection p) {
    this(layer, p.peftName());
  }

  public Projection projection() {
    return Projection.named(module);
  }

  private static final Pattern NAME =
      Pattern.compile("base_model\\.model\\.model\\.layers\\.(\\d+)\\.(?:self_attn|mlp)\\.(\\w+_proj)\\.lora_([AB])\\.weight");

  /** {@code base_model.model.model.layers.{i}.self_attn.q_proj}: PEFT's wrapper prefix before the model's name. */
  public String peftPrefix() {
    return "base_model.model." + projection().prefix(layer);
  }

  public String nameA() {
    return peftPrefix() + ".lora_A.weight";
  }

  public String nameB() {
    return peftPrefix() + ".lora_B.weight";
  }

  /** Input features of the projection. */
  public int inFeatures(LlamaConfig c) {
    return projection().inFeatures(c);
  }

  /** Output features of the projection. */
  public int outFeatures(LlamaConfig c) {
    return projection().outFeatures(c);
  }

  /** Parses a PEFT tensor name; null if it is not a LoRA A/B weight of a decoder layer. */
  public static LoraTarget parse(String tensorName) {
    Matcher m = NAME.matcher(tensorName);
    if (!m.matches() || !Projection.names().contains(m.group(2))) return null;
    return new LoraTarget(Integer.parseInt(m.group(1)), m.group(2));
  }

  /** True for a lora_A name, false for lora_B. */
  public static boolean isA(String tensorName) {
    return tensorName.endsWith(".lora_A.weight");
  }
}
