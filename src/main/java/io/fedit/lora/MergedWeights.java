package io.fedit.lora;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fedit.model.ModelWeights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base weights with a LoRA adapter folded in, W' = W + scaling * B·A for each adapted projection, as plain
 * Java data (what PEFT's {@code merge_and_unload} gives). The delta comes from
 * {@link LoraAdapter#deltaWeightT}, the one function that {@code LlamaModel.merge} also uses; the sum is
 * taken in float32 and an export rounds it to the checkpoint's dtype.
 */
public final class MergedWeights {
  private MergedWeights() {}

  public static ModelWeights merge(ModelWeights base, PeftAdapter adapter) {
    Map<String, ModelWeights.Weight> changed = new LinkedHashMap<>();
    try (NDManager root = NDManager.newBaseManager(Device.cpu());
        LoraAdapter lora = LoraAdapter.create(root, base.config(), adapter.weights(), adapter.scaling(), 0,
            DataType.FLOAT32)) {
      for (LoraTarget t : lora.targets()) {
        String name = t.projection().prefix(t.layer()) + ".weight";
        ModelWeights.Weight w = base.get(name); // (out, in)
        int out = (int) w.shape()[0], in = (int) w.shape()[1];
        float[] v = w.values().clone();
        try (NDArray deltaT = lora.deltaWeightT(t.layer(), t.projection())) { // (in, out)
          float[] d = deltaT.toFloatArray();
          for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) v[o * in + i] += d[i * out + o];
          }
        }
        changed.put(name, new ModelWeights.Weight(w.shape(), v));
      }
    }
    return base.withTensors(changed);
  }
}
