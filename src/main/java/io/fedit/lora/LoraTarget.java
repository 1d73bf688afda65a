package io.fedit.lora;

import io.fedit.model.LlamaConfig;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One adapted projection (layer, module) and its PEFT tensor names and shapes. */
public record LoraTarget(int layer, String module) {
  private static final Pattern NAME =
      Pattern.compile("base_model\\.model\\.model\\.layers\\.(\\d+)\\.(?:self_attn|mlp)\\.(\\w+_proj)\\.lora_([AB])\\.weight");

  /** "self_attn" for q/k/v/o, "mlp" for gate/up/down. */
  public String block() {
    return module.equals("gate_proj") || module.equals("up_proj") || module.equals("down_proj") ? "mlp" : "self_attn";
  }

  /** {@code base_model.model.model.layers.{i}.self_attn.q_proj} */
  public String peftPrefix() {
    return "base_model.model.model.layers." + layer + "." + block() + "." + module;
  }

  public String nameA() {
    return peftPrefix() + ".lora_A.weight";
  }

  public String nameB() {
    return peftPrefix() + ".lora_B.weight";
  }

  /** Input features of the projection. */
  public int inFeatures(LlamaConfig c) {
    return module.equals("down_proj") ? c.intermediateSize() : c.hiddenSize();
  }

  /** Output features of the projection. */
  public int outFeatures(LlamaConfig c) {
    return switch (module) {
      case "k_proj", "v_proj" -> c.kvDim();
      case "gate_proj", "up_proj" -> c.intermediateSize();
      default -> c.hiddenSize();
    };
  }

  /** Parses a PEFT tensor name; null if it is not a LoRA A/B weight of a decoder layer. */
  public static LoraTarget parse(String tensorName) {
    Matcher m = NAME.matcher(tensorName);
    if (!m.matches()) return null;
    return new LoraTarget(Integer.parseInt(m.group(1)), m.group(2));
  }

  /** True for a lora_A name, false for lora_B. */
  public static boolean isA(String tensorName) {
    return tensorName.endsWith(".lora_A.weight");
  }
}
