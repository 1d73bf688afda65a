package io.fedit.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fedit.config.LoraSection;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an adapter the way Hugging Face PEFT saves one, so that {@code PeftModel.from_pretrained(base,
 * dir)} loads it: {@code adapter_model.safetensors} (F32 tensors under the PEFT names the adapter
 * already uses) and {@code adapter_config.json} (PEFT's LoraConfig).
 *
 * <p>The safetensors encoding is a parameter: the project's shared
 * {@code io.fedit.safetensors.SafetensorsWriter::write} is meant to be passed in; until it is available
 * on this branch, {@link #MINIMAL_F32_SAFETENSORS} is a small stand-alone encoder of the format.
 */
public final class PeftExport {
  /** Same signature as the shared SafetensorsWriter.write. */
  @FunctionalInterface
  public interface TensorFileWriter {
    void write(OutputStream out, Map<String, AdapterWeights.Tensor> tensors, Map<String, String> metadata)
        throws IOException;
  }

  public static final String WEIGHTS_FILE = "adapter_model.safetensors";
  public static final String CONFIG_FILE = "adapter_config.json";

  /** Stop-gap encoder (F32 only, map order); swap for the shared SafetensorsWriter when merged. */
  public static final TensorFileWriter MINIMAL_F32_SAFETENSORS = PeftExport::writeMinimalF32Safetensors;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final TensorFileWriter tensorWriter;

  public PeftExport(TensorFileWriter tensorWriter) {
    this.tensorWriter = tensorWriter;
  }

  public void writeWeights(OutputStream out, AdapterWeights adapter) throws IOException {
    // transformers refuses safetensors files without format=pt metadata.
    tensorWriter.write(out, adapter.tensors(), Map.of("format", "pt"));
  }

  /** PEFT LoraConfig as JSON; keys PEFT has defaults for are written anyway so the file is explicit. */
  public static byte[] adapterConfigJson(LoraSection lora, String baseModelNameOrPath) throws IOException {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("peft_type", "LORA");
    c.put("task_type", "CAUSAL_LM");
    c.put("base_model_name_or_path", baseModelNameOrPath);
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

  /**
   * safetensors layout: u64 little-endian header length, JSON header (name → dtype, shape, byte offsets,
   * plus __metadata__), padded with spaces to a multiple of 8, then the raw little-endian data.
   */
  private static void writeMinimalF32Safetensors(
      OutputStream out, Map<String, AdapterWeights.Tensor> tensors, Map<String, String> metadata) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) header.put("__metadata__", metadata);
    long offset = 0;
    for (Map.Entry<String, AdapterWeights.Tensor> e : tensors.entrySet()) {
      long bytes = 4L * e.getValue().values().length;
      header.put(e.getKey(), Map.of("dtype", "F32", "shape", e.getValue().shape(), "data_offsets",
          new long[] {offset, offset + bytes}));
      offset += bytes;
    }
    byte[] json = new ObjectMapper().writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    head.putLong(padded).put(json);
    while (head.hasRemaining()) head.put((byte) ' ');
    out.write(head.array());
    for (AdapterWeights.Tensor t : tensors.values()) {
      ByteBuffer data = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
      data.asFloatBuffer().put(t.values());
      out.write(data.array());
    }
    out.flush();
  }
}
