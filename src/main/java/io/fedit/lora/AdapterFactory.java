package io.fedit.lora;

import io.fedit.config.LoraSection;
import io.fedit.model.LlamaConfig;
import io.fedit.seeds.Seeds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Creates the initial adapter: for each layer and target module, A (r, in) ~ Kaiming-uniform with a = sqrt(5)
 * as PEFT/nn.Linear do (bound = 1/sqrt(in)), and B (out, r) = 0, so the untrained adapter changes nothing.
 * Deterministic in the seed; no global random state.
 */
public final class AdapterFactory {
  private AdapterFactory() {}

  public static AdapterWeights create(LlamaConfig config, LoraSection lora, long seed) {
    Random rnd = Seeds.legacyStream(seed);
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    for (int layer = 0; layer < config.numLayers(); layer++) {
      for (String module : LoraSection.MODULES) {
        if (!lora.targetModules().contains(module)) continue;
        LoraTarget t = new LoraTarget(layer, module);
        int in = t.inFeatures(config), out = t.outFeatures(config);
        float bound = (float) (1.0 / Math.sqrt(in));
        float[] a = new float[lora.r() * in];
        for (int i = 0; i < a.length; i++) a[i] = (rnd.nextFloat() * 2f - 1f) * bound;
        m.put(t.nameA(), new AdapterWeights.Tensor(new long[] {lora.r(), in}, a));
        m.put(t.nameB(), new AdapterWeights.Tensor(new long[] {out, lora.r()}, new float[out * lora.r()]));
      }
    }
    return new AdapterWeights(m);
  }
}
