package io.fedit.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {
  @TempDir Path dir;

  @Test
  void f32TensorsRoundTripWithMetadataInOrder() throws Exception {
    float[] a = {1, 2, 3, 4, 5, -6.5f}, b = {0, 1e-8f, Float.MAX_VALUE};
    Map<String, SafetensorsWriter.Entry> t = new LinkedHashMap<>();
    t.put("z.lora_A.weight", f32(new long[] {2, 3}, a));
    t.put("a.lora_B.weight", f32(new long[] {3}, b));
    Path f = dir.resolve("adapter_model.safetensors");
    try (OutputStream out = Files.newOutputStream(f)) {
      SafetensorsWriter.writeEntries(out, t, Map.of("format", "pt"));
    }
    byte[] bytes = Files.readAllBytes(f);
    assertEquals(0, (bytes.length - 8 - 6 * 4 - 3 * 4) % 8, "header padded to 8 bytes");
    try (SafetensorsReader r = SafetensorsReader.open(f)) {
      assertEquals(java.util.List.of("z.lora_A.weight", "a.lora_B.weight"), r.names());
      assertEquals("pt", r.metadata().get("format"));
      assertArrayEquals(new long[] {2, 3}, r.info("z.lora_A.weight").shape());
      assertArrayEquals(a, r.readFloats("z.lora_A.weight"));
      assertArrayEquals(b, r.readFloats("a.lora_B.weight"));
    }
  }

  @Test
  void halfPrecisionEncodingsRoundTripExactlyRepresentableValues() throws Exception {
    float[] v = {0f, -0f, 1f, -2.5f, 0.15625f, 65504f, 6.1035156e-5f, 5.9604645e-8f, Float.POSITIVE_INFINITY};
    for (DType d : new DType[] {DType.F16, DType.BF16}) {
      Map<String, SafetensorsWriter.Entry> e = new LinkedHashMap<>();
      float[] in = d == DType.BF16 ? new float[] {0f, 1f, -2.5f, 0.15625f, 3.0e38f, 1e-20f} : v;
      e.put("t", SafetensorsWriter.Entry.of(d, new long[] {in.length}, in));
      Path f = dir.resolve(d + ".safetensors");
      try (OutputStream out = Files.newOutputStream(f)) {
        SafetensorsWriter.writeEntries(out, e, null);
      }
      try (SafetensorsReader r = SafetensorsReader.open(f)) {
        assertEquals(d, r.info("t").dtype());
        float[] back = r.readFloats("t");
        for (int i = 0; i < in.length; i++) {
          assertEquals(in[i], back[i], Math.abs(in[i]) * (d == DType.BF16 ? 4e-3 : 1e-3), d + " value " + i);
        }
      }
    }
    assertEquals(1.0f, DType.bf16ToFloat(DType.floatToBf16(1.0039f)));
    assertEquals(0x3c00, DType.floatToF16(1f) & 0xffff);
  }

  @Test
  void truncatedFileNamesTheTensorThatDoesNotFit() throws Exception {
    Map<String, SafetensorsWriter.Entry> t = new LinkedHashMap<>();
    t.put("first", f32(new long[] {4}, new float[4]));
    t.put("second", f32(new long[] {4}, new float[4]));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SafetensorsWriter.writeEntries(out, t, Map.of());
    byte[] b = out.toByteArray();
    Path f = dir.resolve("cut.safetensors");
    Files.write(f, Arrays.copyOf(b, b.length - 5));
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(f));
    assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("'second'"), e.getMessage());
    Files.write(f, Arrays.copyOf(b, 20));
    e = assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(f));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }

  @Test
  void unknownDtypeIsNamedWithItsTensor() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SafetensorsWriter.writeEntries(out, Map.of("w", f32(new long[] {2}, new float[2])), null);
    String header = SafetensorsWriter.headerText(out.toByteArray()).replace("\"F32\"", "\"I64\"");
    byte[] orig = out.toByteArray();
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    byte[] mod = orig.clone();
    System.arraycopy(h, 0, mod, 8, h.length);
    Path f = dir.resolve("i64.safetensors");
    Files.write(f, mod);
    SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(f));
    assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("unsupported dtype 'I64'"), e.getMessage());
  }

  @Test
  void missingTensorIsNamed() throws Exception {
    Path f = dir.resolve("one.safetensors");
    try (OutputStream out = Files.newOutputStream(f)) {
      SafetensorsWriter.writeEntries(out, Map.of("w", f32(new long[] {1}, new float[1])), null);
    }
    try (SafetensorsReader r = SafetensorsReader.open(f)) {
      SafetensorsException e = assertThrows(SafetensorsException.class, () -> r.readFloats("nope"));
      assertTrue(e.getMessage().contains("no tensor 'nope'"), e.getMessage());
    }
  }

  private static SafetensorsWriter.Entry f32(long[] shape, float[] values) {
    return SafetensorsWriter.Entry.of(DType.F32, shape, values);
  }
}
