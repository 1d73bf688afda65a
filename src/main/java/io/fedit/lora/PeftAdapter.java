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
    return new PeftAdapter(new AdapterWeights(tensors), cfg.get("r").asInt(), cfg.get("lora_alpha").asDouble(),
        cfg.path("use_rslora").asBoolean(false), cfg.path("lora_dropout").asDouble(0));
  }
}
