package io.fedit.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.model.ModelException;
import io.fedit.safetensors.SafetensorsReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A Hugging Face PEFT LoRA adapter directory: adapter_config.json (r, lora_alpha, use_rslora, lora_dropout)
 * and adapter_model.safetensors, read from any Hadoop filesystem.
 */
public record PeftAdapter(AdapterWeights weights, int r, double alpha, boolean useRslora, double dropout) {
  /** alpha / r, or alpha / sqrt(r) with rsLoRA (the same rule as LoraSection.scaling()). */
  public double scaling() {
    return useRslora ? alpha / Math.sqrt(r) : alpha / r;
  }

  public static PeftAdapter read(java.nio.file.Path dir) throws IOException {
    return read(new Path(dir.toAbsolutePath().toUri()), new Configuration());
  }

  public static PeftAdapter read(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path cfgFile = new Path(dir, "adapter_config.json");
    Path model = new Path(dir, "adapter_model.safetensors");
    if (!fs.exists(cfgFile)) throw new ModelException(dir + " has no adapter_config.json");
    if (!fs.exists(model)) throw new ModelException(dir + " has no adapter_model.safetensors");
    JsonNode cfg;
    try (InputStream in = fs.open(cfgFile)) {
      cfg = new ObjectMapper().readTree(in);
    }
    String type = cfg.path("peft_type").asText("LORA");
    if (!type.equalsIgnoreCase("LORA")) throw new ModelException(cfgFile + ": peft_type '" + type + "' is not LORA");
    if (!cfg.hasNonNull("r")) throw new ModelException(cfgFile + ": missing key 'r'");
    if (!cfg.hasNonNull("lora_alpha")) throw new ModelException(cfgFile + ": missing key 'lora_alpha'");
    Map<String, AdapterWeights.Tensor> tensors = new LinkedHashMap<>();
    try (SafetensorsReader r = SafetensorsReader.open(model, conf)) {
      for (String name : r.names()) {
        // PEFT saves without the adapter name; some tools keep ".default" before ".weight".
        String key = name.replace(".lora_A.default.weight", ".lora_A.weight").replace(".lora_B.default.weight", ".lora_B.weight");
        tensors.put(key, new AdapterWeights.Tensor(r.info(name).shape(), r.readFloats(name)));
      }
    }
    if (!cfg.get("r").isIntegralNumber() || cfg.get("r").asInt() <= 0) {
      throw new ModelException(cfgFile + ": 'r' must be a positive integer, got " + cfg.get("r"));
    }
    int r = cfg.get("r").asInt();
    checkAgainstTensors(cfgFile, r, cfg.get("target_modules"), tensors);
    return new PeftAdapter(new AdapterWeights(tensors), r, cfg.get("lora_alpha").asDouble(),
        cfg.path("use_rslora").asBoolean(false), cfg.path("lora_dropout").asDouble(0));
  }

  /**
   * The config must describe the tensors, as PEFT requires when it loads them: every lora_A is [r, in] and
   * every lora_B is [out, r], and every adapted module is one of target_modules (when given as a list) and
   * every listed module is adapted. Otherwise the scaling alpha/r would be applied with the wrong r.
   */
  private static void checkAgainstTensors(Path cfgFile, int r, JsonNode targetModules,
      Map<String, AdapterWeights.Tensor> tensors) {
    java.util.Set<String> adapted = new java.util.TreeSet<>();
    for (Map.Entry<String, AdapterWeights.Tensor> e : tensors.entrySet()) {
      LoraTarget t = LoraTarget.parse(e.getKey());
      if (t == null) {
        throw new ModelException(cfgFile.getParent() + ": tensor '" + e.getKey() + "' is not a LoRA A/B weight of a "
            + "decoder layer (expected base_model.model.model.layers.<i>.<block>.<module>.lora_A|B.weight)");
      }
      adapted.add(t.module());
      long[] shape = e.getValue().shape();
      int rankDim = LoraTarget.isA(e.getKey()) ? 0 : 1;
      if (shape.length != 2 || shape[rankDim] != r) {
        throw new ModelException(cfgFile + " says r = " + r + ", but tensor '" + e.getKey() + "' has shape "
            + java.util.Arrays.toString(shape) + " (expected " + (rankDim == 0 ? "[r, in]" : "[out, r]") + ")");
      }
    }
    if (targetModules != null && targetModules.isArray()) {
      java.util.Set<String> listed = new java.util.TreeSet<>();
      targetModules.forEach(m -> listed.add(m.asText()));
      if (!listed.equals(adapted)) {
        throw new ModelException(cfgFile + " lists target_modules " + listed + ", but the tensors adapt " + adapted);
      }
    }
  }
}
