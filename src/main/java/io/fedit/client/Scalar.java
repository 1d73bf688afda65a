package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A long-lived 0-d float32 array whose value is overwritten in place (learning rate, bias corrections):
 * never a DJL scalar op, which would create and free a temporary tensor over Java memory (docs/PLATFORM_NOTES.md pitfall 1),
 * and no allocation per step.
 */
final class Scalar {
  final NDArray array; // () float32
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());

  Scalar(NDManager manager, double value) {
    array = manager.create(new float[] {(float) value}, new Shape());
  }

  void set(double value) {
    buffer.putFloat(0, (float) value);
    buffer.rewind();
    array.set(buffer);
  }
}
