package io.fedit.model;

import io.fedit.safetensors.DType;
import io.fedit.safetensors.SafetensorsReader;
import io.fedit.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses NaN and infinity in weights, naming the file and tensor: one such value in a base or adapter weight
 * turns every logit into NaN, and generation then yields empty text with exit 0. A value is non-finite when its
 * exponent bits are all ones (F32 0x7f800000, F16 0x7c00, BF16 0x7f80), so the scan is an integer max over the
 * masked exponents (a reduction the JIT vectorises), with a second pass only to say where the first bad value is.
 */
public final class FiniteValues {
  private static final int F32_EXP = 0x7f800000;
  private static final int F16_EXP = 0x7c00;
  private static final int BF16_EXP = 0x7f80;

  private FiniteValues() {}

  /** Index of the first NaN or infinity in {@code v}, or -1. */
  public static int firstNonFinite(float[] v) {
    int max = 0;
    for (float x : v) max = Math.max(max, Float.floatToRawIntBits(x) & F32_EXP);
    if (max != F32_EXP) return -1;
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) return i;
    }
    return -1;
  }

  /** Throws naming {@code tensor} of {@code source} when {@code v} holds NaN or infinity. */
  public static void require(float[] v, String tensor, String source) {
    int i = firstNonFinite(v);
    if (i >= 0) throw refusal(source, tensor, v[i], i, v.length);
  }

  /**
   * Scans every tensor of a safetensors file in its stored dtype, streamed in chunks (never a whole tensor in
   * memory): what the driver runs before a job, where a 16 GB model would not fit the heap as float32.
   */
  public static void requireFile(FileSystem fs, Path file, SafetensorsReader header) throws IOException {
    byte[] buf = new byte[1 << 20];
    try (FSDataInputStream in = fs.open(file)) {
      for (Map.Entry<String, TensorInfo> e : header.tensors().entrySet()) {
        TensorInfo t = e.getValue();
        int width = t.dtype().bytes();
        long pos = header.dataStart() + t.begin(), end = header.dataStart() + t.end();
        long element = 0;
        while (pos < end) {
          int n = (int) Math.min(buf.length, end - pos);
          in.readFully(pos, buf, 0, n);
          int bad = firstNonFinite(ByteBuffer.wrap(buf, 0, n).order(ByteOrder.LITTLE_ENDIAN), t.dtype());
          if (bad >= 0) {
            ByteBuffer b = ByteBuffer.wrap(buf, bad * width, width).order(ByteOrder.LITTLE_ENDIAN);
            float value = switch (t.dtype()) {
              case F32 -> b.getFloat();
              case F16 -> DType.f16ToFloat(b.getShort());
              case BF16 -> DType.bf16ToFloat(b.getShort());
            };
            throw refusal(file.toString(), e.getKey(), value, element + bad, t.numel());
          }
          pos += n;
          element += n / width;
        }
      }
    }
  }

  /** Index (in elements) of the first non-finite value in a little-endian buffer of {@code dtype}, or -1. */
  static int firstNonFinite(ByteBuffer b, DType dtype) {
    if (dtype == DType.F32) {
      var ints = b.asIntBuffer();
      int max = 0;
      for (int i = 0; i < ints.limit(); i++) max = Math.max(max, ints.get(i) & F32_EXP);
      if (max != F32_EXP) return -1;
      for (int i = 0; i < ints.limit(); i++) if ((ints.get(i) & F32_EXP) == F32_EXP) return i;
      return -1;
    }
    int mask = dtype == DType.F16 ? F16_EXP : BF16_EXP;
    var shorts = b.asShortBuffer();
    int max = 0;
    for (int i = 0; i < shorts.limit(); i++) max = Math.max(max, shorts.get(i) & mask);
    if (max != mask) return -1;
    for (int i = 0; i < shorts.limit(); i++) if ((shorts.get(i) & mask) == mask) return i;
    return -1;
  }

  private static ModelException refusal(String source, String tensor, float value, long index, long count) {
    return new ModelException(source + ": tensor '" + tensor + "' holds " + value + " (element " + index + " of "
        + count + "); NaN or infinity in a weight makes every output NaN");
  }
}
