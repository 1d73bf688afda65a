package io.fedit.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes .safetensors files: header length, JSON header (padded with spaces to 8 bytes, as the reference
 * implementation does), then the tensors back to back in map order.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsWriter() {}

  /** One tensor to write: dtype, shape and its already-encoded little-endian bytes. */
  public record Entry(DType dtype, long[] shape, byte[] data) {
    public Entry {
      long n = 1;
      for (long d : shape) n *= d;
      if (n * dtype.bytes() != data.length) {
        throw new IllegalArgumentException("shape/dtype need " + n * dtype.bytes() + " bytes, got " + data.length);
      }
    }

    /** Encodes float values as the given dtype (F16/BF16 rounded to nearest even). */
    public static Entry of(DType dtype, long[] shape, float[] values) {
      ByteBuffer buf = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : values) {
        switch (dtype) {
          case F32 -> buf.putFloat(v);
          case F16 -> buf.putShort(DType.floatToF16(v));
          case BF16 -> buf.putShort(DType.floatToBf16(v));
        }
      }
      return new Entry(dtype, shape.clone(), buf.array());
    }
  }

  /** Writes pre-encoded entries of any supported dtype. The stream is flushed, not closed. */
  public static void writeEntries(OutputStream out, Map<String, Entry> entries, Map<String, String> metadata)
      throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (metadata != null && !metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
    long offset = 0;
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("'__metadata__' is not a tensor name");
      Entry t = e.getValue();
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("dtype", t.dtype().name());
      List<Long> shape = new ArrayList<>();
      for (long d : t.shape()) shape.add(d);
      h.put("shape", shape);
      h.put("data_offsets", List.of(offset, offset + t.data().length));
      header.put(e.getKey(), h);
      offset += t.data().length;
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    byte[] headerBytes = new byte[padded];
    System.arraycopy(json, 0, headerBytes, 0, json.length);
    for (int i = json.length; i < padded; i++) headerBytes[i] = ' ';
    out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
    out.write(headerBytes);
    for (Entry t : entries.values()) out.write(t.data());
    out.flush();
  }

  /** The header bytes as text, for diagnostics. */
  static String headerText(byte[] file) {
    long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return new String(file, 8, (int) n, StandardCharsets.UTF_8);
  }
}
