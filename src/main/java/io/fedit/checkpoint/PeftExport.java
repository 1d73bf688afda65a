package io.fedit.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedit.config.LoraSection;
import io.fedit.lora.AdapterWeights;
import io.fedit.lora.PeftAdapter;
import io.fedit.safetensors.DType;
import io.fedit.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an adapter the way Hugging Face PEFT saves one, so that {@code PeftModel.from_pretrained(base,
 * dir)} loads it: {@code adapter_model.safetensors} (F32 tensors under the PEFT names the adapter
 * already uses) and {@code adapter_config.json} (PEFT's LoraConfig).
 *
 * <p>The tensor-file writer is a parameter ({@link #standard()} uses the project's SafetensorsWriter) so
 * that tests can make a commit fail half-way.
 */
public final class PeftExport {
  /** Writes adapter tensors as one safetensors file (what {@link #writeTensors} does, unless a test fails it). */
  @FunctionalInterface
  public interface TensorFileWriter {
    void write(OutputStream out, Map<String, AdapterWeights.Tensor> tensors, Map<String, String> metadata)
        throws IOException;
  }

  public static final String WEIGHTS_FILE = "adapter_model.safetensors";
  public static final String CONFIG_FILE = "adapter_config.json";

  /** The project's safetensors writer (F32, map order). */
  public static PeftExport standard() {
    return new PeftExport(PeftExport::writeTensors);
  }

  /**
   * Writes adapter tensors as F32 safetensors, keys in map order, with optional string metadata. The stream
   * is flushed, not closed.
   */
  public static void writeTensors(OutputStream out, Map<String, AdapterWeights.Tensor> tensors,
      Map<String, String> metadata) throws IOException {
    Map<String, SafetensorsWriter.Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<String, AdapterWeights.Tensor> e : tensors.entrySet()) {
      entries.put(e.getKey(), SafetensorsWriter.Entry.of(DType.F32, e.getValue().shape(), e.getValue().values()));
    }
    SafetensorsWriter.writeEntries(out, entries, metadata);
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final TensorFileWriter tensorWriter;

  public PeftExport(TensorFileWriter tensorWriter) {
    this.tensorWriter = tensorWriter;
  }

  public void writeWeights(OutputStream out, AdapterWeights adapter) throws IOException {
    // transformers refuses safetensors files without format=pt metadata.
    tensorWriter.write(out, adapter.tensors(), Map.of("format", "pt"));
  }

  /**
   * As {@link #writeWeights(OutputStream, AdapterWeights)}, also recording the base model's model_type in the
   * metadata ({@link PeftAdapter#MODEL_TYPE_KEY}) so that loading it on another family is refused.
   */
  public void writeWeights(OutputStream out, AdapterWeights adapter, String baseModelType) throws IOException {
    tensorWriter.write(out, adapter.tensors(), Map.of("format", "pt", PeftAdapter.MODEL_TYPE_KEY, baseModelType));
  }

  /** PEFT LoraConfig as JSON; keys PEFT has defaults for are written anyway so the file is explicit. */
  public static byte[] adapterConfigJson(LoraSection lora, String baseModelNameOrPath) throws IOException {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("peft_type", "LORA");
    c.put("task_type", "CAUSAL_LM");
    // As people and PEFT read it: a local path without file:, relative to the working directory when under it.
    c.put("base_model_name_or_path", io.fedit.fs.HadoopPaths.display(baseModelNameOrPath));
    c.put("r", lora.r());
    // PEFT types lora_alpha as int; keep a fractional alpha exact rather than truncating it.
    c.put("lora_alpha", lora.alpha() == Math.rint(lora.alpha()) ? (Object) (int) lora.alpha() : lora.alpha());
    c.put("lora_dropout", lora.dropout());
    c.put("target_modules", List.copyOf(lora.targetModules()));
    c.put("use_rslora", lora.useRslora());
    c.put("bias", "none");
    c.put("fan_in_fan_out", false);
    c.put("inference_mode", true);
    c.put("init_lora_weights", true);
    c.put("modules_to_save", null);
    c.put("revision", null);
    return JSON.writeValueAsBytes(c);
  }
}
