package io.fedit.config;

import java.util.List;

/** LoRA hyper-parameters. The scaling rule lives in one place: {@link #scaling()}. */
public record LoraSection(
    int r, double alpha, double dropout, List<String> targetModules, boolean useRslora) implements java.io.Serializable {
  public static final List<String> MODULES =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  public LoraSection {
    Require.positive("lora.r", r);
    Require.positive("lora.alpha", alpha);
    Require.inRange("lora.dropout", dropout, 0.0, 1.0);
    if (targetModules == null || targetModules.isEmpty()) {
      throw new IllegalArgumentException("lora.target_modules must name at least one of " + MODULES);
    }
    for (String m : targetModules) {
      if (!MODULES.contains(m)) {
        throw new IllegalArgumentException(
            "lora.target_modules must contain only " + MODULES + ", got '" + m + "'");
      }
    }
    targetModules = List.copyOf(targetModules);
  }

  /** The factor applied to B·A: alpha / r, or alpha / sqrt(r) with rsLoRA. */
  public double scaling() {
    return useRslora ? alpha / Math.sqrt(r) : alpha / r;
  }
}
