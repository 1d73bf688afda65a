package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fedit.lora.LoraAdapter;
import io.fedit.seeds.Seeds;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Inverted-dropout masks from a per-run SplittableRandom: deterministic in the seed and private to one trainer
 * (libtorch's RNG, which DJL's dropout uses, is one per process and shared by concurrent trainers). One
 * independent mask per LoRA branch call, as PEFT's per-module dropout. Reuses one Java buffer; the mask array
 * belongs to the caller's (micro-batch) manager and lives until the backward pass is done.
 */
final class SeededDropout implements LoraAdapter.DropoutMasks {
  private final SplittableRandom rnd;
  private float[] buffer = new float[0];

  SeededDropout(long seed) {
    this.rnd = Seeds.stream(seed);
  }

  @Override
  public NDArray mask(NDManager m, Shape shape, DataType dtype, float p) {
    int n = Math.toIntExact(shape.size());
    if (buffer.length < n) buffer = new float[n];
    float keep = 1f / (1f - p);
    int threshold = (int) Math.round(p * (1 << 24)); // 24-bit uniform < p -> dropped
    float[] b = buffer;
    for (int i = 0; i < n; i++) b[i] = (rnd.nextInt() >>> 8) < threshold ? 0f : keep;
    NDArray mask = m.create(FloatBuffer.wrap(b, 0, n), shape);
    return dtype == DataType.FLOAT32 ? mask : mask.toType(dtype, false);
  }
}
