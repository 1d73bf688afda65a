package io.fedit.safetensors;

import java.util.Arrays;

/** One header entry: name, dtype, shape and the byte range [begin, end) relative to the data section. */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {
  /** Number of elements (1 for a scalar). */
  public long numel() {
    long n = 1;
    for (long d : shape) n *= d;
    return n;
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + "," + end + ")";
  }
}
