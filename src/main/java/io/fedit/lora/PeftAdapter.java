package io.fedit.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.model.FiniteValues;
import io.fedit.model.LlamaConfig;
import io.fedit.model.ModelException;
import io.fedit.model.Projection;
import io.fedit.safetensors.SafetensorsReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A Hugging Face PEFT LoRA adapter directory: adapter_config.json (r, lora_alpha, use_rslora, lora_dropout,
 * target_modules) and adapter_model.safetensors, read from any Hadoop filesystem and checked as PEFT checks
 * it when loading: every tensor is a LoRA A/B weight of a module named in target_modules, every module named
 * has its tensors, and each A is (r, in), each B (out, r). {@link #requireFits} then checks it against a base.
 *
 * @param baseModelType the model_type of the base it was trained on, from the safetensors metadata key
 *                      {@value #MODEL_TYPE_KEY} that this system's export writes; null when absent
 */
public record PeftAdapter(AdapterWeights weights, int r, double alpha, boolean useRslora, double dropout,
    Set<String> targetModules, String baseModelType) {
  /** safetensors metadata key naming the base model's family (PEFT and transformers ignore it). */
  public static final String MODEL_TYPE_KEY = "fedit.base_model_type";

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
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ModelException(cfgFile + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (cfg == null || !cfg.isObject()) throw new ModelException(cfgFile + " is not a JSON object");
    String type = cfg.path("peft_type").asText("LORA");
    if (!type.equalsIgnoreCase("LORA")) throw new ModelException(cfgFile + ": peft_type '" + type + "' is not LORA");
    if (!cfg.hasNonNull("r")) throw new ModelException(cfgFile + ": missing key 'r'");
    if (!cfg.hasNonNull("lora_alpha")) throw new ModelException(cfgFile + ": missing key 'lora_alpha'");
    for (String k : new String[] {"rank_pattern", "alpha_pattern"}) {
      if (cfg.path(k).size() > 0) throw new ModelException(cfgFile + ": key '" + k + "' (per-module r/alpha) is not supported");
    }
    if (!cfg.get("r").isIntegralNumber() || cfg.get("r").asInt() <= 0) {
      throw new ModelException(cfgFile + ": 'r' must be a positive integer, got " + cfg.get("r"));
    }
    int r = cfg.get("r").asInt();
    // asDouble would read "sixteen" as 0 (an adapter that does nothing) and "16" as 16: only a number is one.
    JsonNode alpha = cfg.get("lora_alpha");
    if (!alpha.isNumber() || !Double.isFinite(alpha.doubleValue())) {
      throw new ModelException(cfgFile + ": 'lora_alpha' must be a number, got " + alpha);
    }
    JsonNode dropout = cfg.get("lora_dropout");
    if (dropout != null && !dropout.isNull() && (!dropout.isNumber() || !(dropout.doubleValue() >= 0)
        || !(dropout.doubleValue() < 1))) {
      throw new ModelException(cfgFile + ": 'lora_dropout' must be a number in [0, 1), got " + dropout);
    }
    Set<String> modules = targetModules(cfg.get("target_modules"), cfgFile);
    Map<String, AdapterWeights.Tensor> tensors = new LinkedHashMap<>();
    String baseType;
    try (SafetensorsReader reader = SafetensorsReader.open(model, conf)) {
      baseType = reader.metadata() == null ? null : reader.metadata().get(MODEL_TYPE_KEY);
      for (String name : reader.names()) {
        // PEFT saves without the adapter name; some tools keep ".default" before ".weight".
        String key = name.replace(".lora_A.default.weight", ".lora_A.weight").replace(".lora_B.default.weight", ".lora_B.weight");
        float[] values = reader.readFloats(name);
        FiniteValues.require(values, name, model.toString());
        tensors.put(key, new AdapterWeights.Tensor(reader.info(name).shape(), values));
      }
    }
    checkAgainstConfig(tensors, r, modules, model + " (adapter_config.json r " + r + ", target_modules " + modules + ")");
    return new PeftAdapter(new AdapterWeights(tensors), r, alpha.doubleValue(),
        cfg.path("use_rslora").asBoolean(false), cfg.path("lora_dropout").asDouble(0), modules, baseType);
  }

  /** target_modules as a list of projection names (a regex string, as PEFT also allows, is refused). */
  private static Set<String> targetModules(JsonNode n, Path cfgFile) {
    if (n == null || !n.isArray() || n.size() == 0) {
      throw new ModelException(cfgFile + ": key 'target_modules' must be a non-empty list of " + Projection.names());
    }
    Set<String> out = new TreeSet<>();
    for (JsonNode m : n) {
      if (!Projection.names().contains(m.asText())) {
        throw new ModelException(cfgFile + ": target_modules names '" + m.asText() + "' (supported: " + Projection.names() + ")");
      }
      out.add(m.asText());
    }
    return out;
  }

  /** PEFT's load-time checks: names, modules both ways, r against each A and B. */
  private static void checkAgainstConfig(Map<String, AdapterWeights.Tensor> tensors, int r, Set<String> modules,
      String where) {
    Set<String> seen = new TreeSet<>();
    for (Map.Entry<String, AdapterWeights.Tensor> e : tensors.entrySet()) {
      LoraTarget t = LoraTarget.parse(e.getKey());
      if (t == null) throw new ModelException(where + ": tensor '" + e.getKey() + "' is not a PEFT LoRA weight name");
      if (!modules.contains(t.module())) {
        throw new ModelException(where + ": tensor '" + e.getKey() + "' adapts " + t.module() + ", not in target_modules");
      }
      seen.add(t.module());
      long[] s = e.getValue().shape();
      boolean fits = s.length == 2 && (LoraTarget.isA(e.getKey()) ? s[0] == r : s[1] == r);
      if (!fits) {
        throw new ModelException(where + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(s)
            + ", which does not fit r = " + r + (LoraTarget.isA(e.getKey()) ? " (A is (r, in))" : " (B is (out, r))"));
      }
    }
    if (!seen.equals(modules)) {
      throw new ModelException(where + ": target_modules " + modules + " but the tensors adapt " + seen);
    }
  }

  /**
   * Refuses an adapter made for another base: a different model family (when the adapter records one) or
   * projection widths that differ from this base's (checked per tensor by {@link LoraAdapter#create}).
   */
  public void requireFits(LlamaConfig base, String adapterDir) {
    if (baseModelType != null && !baseModelType.equals(base.modelType())) {
      throw new ModelException(adapterDir + ": adapter was trained on a " + baseModelType + " model, the base is "
          + base.modelType());
    }
    for (String name : weights.tensors().keySet()) {
      LoraTarget t = LoraTarget.parse(name);
      long[] s = weights.get(name).shape();
      long want = LoraTarget.isA(name) ? t.inFeatures(base) : t.outFeatures(base);
      long got = LoraTarget.isA(name) ? s[1] : s[0];
      if (t.layer() >= base.numLayers() || want != got) {
        throw new ModelException(adapterDir + ": tensor '" + name + "' " + Arrays.toString(s) + " does not fit this "
            + base.modelType() + " base (" + base.numLayers() + " layers, " + t.module() + " " + t.inFeatures(base)
            + " -> " + t.outFeatures(base) + ")");
      }
    }
  }
}
