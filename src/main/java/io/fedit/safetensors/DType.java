package io.fedit.safetensors;

import java.util.Locale;

/** The floating-point tensor dtypes this project reads and writes, with their bit conversions. */
public enum DType {
  F32(4),
  F16(2),
  BF16(2);

  private final int bytes;

  DType(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The dtype named as in a safetensors header ("F32", "F16", "BF16"); a clear error for anything else. */
  public static DType parse(String name, String tensor) {
    String n = name == null ? "" : name.toUpperCase(Locale.ROOT);
    return switch (n) {
      case "F32" -> F32;
      case "F16" -> F16;
      case "BF16" -> BF16;
      default -> throw new SafetensorsException(
          "tensor '" + tensor + "' has unsupported dtype '" + name + "' (supported: F32, F16, BF16)");
    };
  }

  /** bfloat16 is the upper half of a float32. */
  public static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  /** float32 to bfloat16 with round-to-nearest-even (NaN stays NaN). */
  public static short floatToBf16(float f) {
    int x = Float.floatToRawIntBits(f);
    if (Float.isNaN(f)) return (short) ((x >>> 16) | 0x40);
    int rounding = 0x7fff + ((x >>> 16) & 1);
    return (short) ((x + rounding) >>> 16);
  }

  /** IEEE 754 half precision to float32 (subnormals, infinities and NaN included). */
  public static float f16ToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    if (exp == 0) {
      if (mant == 0) return Float.intBitsToFloat(sign);
      float v = mant * 0x1p-24f; // subnormal: mant * 2^-24
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** float32 to IEEE half with round-to-nearest-even; overflow gives infinity. */
  public static short floatToF16(float f) {
    int x = Float.floatToRawIntBits(f);
    int sign = (x >>> 16) & 0x8000;
    int exp = (x >>> 23) & 0xff;
    int mant = x & 0x7fffff;
    if (exp == 0xff) return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
    int e = exp - 127 + 15;
    if (e >= 0x1f) return (short) (sign | 0x7c00);
    if (e <= 0) {
      if (e < -10) return (short) sign;
      mant |= 0x800000; // implicit bit
      int shift = 14 - e;
      int half = mant >>> shift;
      int rem = mant & ((1 << shift) - 1);
      int mid = 1 << (shift - 1);
      if (rem > mid || (rem == mid && (half & 1) != 0)) half++;
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >>> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) half++; // may carry into exponent: correct
    return (short) (sign | half);
  }
}
