package io.fedit.checkpoint;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.config.LoraSection;
import io.fedit.lora.AdapterWeights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeftExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void safetensorsFileFollowsTheFormat() throws IOException {
    AdapterWeights adapter = CheckpointFixtures.adapter(3);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PeftExport.standard().writeWeights(out, adapter);
    ByteBuffer buf = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = buf.getLong();
    assertEquals(0, (8 + headerLen) % 8, "data must start 8-byte aligned");
    byte[] header = new byte[(int) headerLen];
    buf.get(header);
    JsonNode h = JSON.readTree(header);
    assertEquals("pt", h.get("__metadata__").get("format").asText());
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!n.equals("__metadata__")) names.add(n);
    }
    assertEquals(List.copyOf(adapter.tensors().keySet()), names, "tensors in map order");
    int dataStart = 8 + (int) headerLen;
    for (Map.Entry<String, AdapterWeights.Tensor> e : adapter.tensors().entrySet()) {
      JsonNode t = h.get(e.getKey());
      assertEquals("F32", t.get("dtype").asText());
      assertEquals(e.getValue().shape()[0], t.get("shape").get(0).asLong());
      long begin = t.get("data_offsets").get(0).asLong();
      long end = t.get("data_offsets").get(1).asLong();
      assertEquals(4L * e.getValue().values().length, end - begin);
      float[] v = new float[e.getValue().values().length];
      buf.position(dataStart + (int) begin);
      buf.asFloatBuffer().get(v);
      assertArrayEquals(e.getValue().values(), v, e.getKey());
    }
    assertEquals(out.size(), dataStart + h.get(names.get(names.size() - 1)).get("data_offsets").get(1).asLong());
  }

  @Test
  void adapterConfigHasPeftLoraFields() throws IOException {
    LoraSection lora = new LoraSection(8, 16, 0.05, List.of("q_proj", "v_proj"), false);
    JsonNode c = JSON.readTree(PeftExport.adapterConfigJson(lora, "data/stories260K-hf"));
    assertEquals("LORA", c.get("peft_type").asText());
    assertEquals("CAUSAL_LM", c.get("task_type").asText());
    assertEquals(8, c.get("r").asInt());
    assertTrue(c.get("lora_alpha").isInt());
    assertEquals(16, c.get("lora_alpha").asInt());
    assertEquals(0.05, c.get("lora_dropout").asDouble());
    assertEquals("q_proj", c.get("target_modules").get(0).asText());
    assertEquals("none", c.get("bias").asText());
    assertFalse(c.get("use_rslora").asBoolean());
    assertFalse(c.get("fan_in_fan_out").asBoolean());
    assertTrue(c.get("inference_mode").asBoolean());
    assertEquals("data/stories260K-hf", c.get("base_model_name_or_path").asText());
  }
}
