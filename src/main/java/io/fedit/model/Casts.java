package io.fedit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Dtype casts that autograd sees. DJL's {@code toType} runs under {@code torch::NoGradGuard} (its JNI
 * {@code torchTo}), so a cast through it cuts the graph: in float16 training nothing before the cast would get
 * a gradient. With grad mode on (this thread) these casts stay differentiable:
 * <ul>
 *   <li>up to float32: x + zeros(1) in float32; type promotion makes the sum float32, and adding 0 changes no
 *       value;</li>
 *   <li>down (or any other way): {@code torch.cumprod(x[..., None], -1, dtype)}, which casts its input to
 *       dtype inside the op; a cumulative product over an axis of length 1 is the identity, and its backward
 *       casts the gradient back to x's dtype.</li>
 * </ul>
 * With grad mode off they are plain {@code toType} casts (cheaper).
 */
public final class Casts {
  private Casts() {}

  /** x in {@code dtype}, in x's manager (x itself when it already has the dtype). */
  public static NDArray to(NDArray x, DataType dtype) {
    return to(x, dtype, x.getManager());
  }

  /**
   * x in {@code dtype}, the result and every temporary owned by {@code into} (for a long-lived x, whose manager
   * would otherwise collect them, docs/PLATFORM_NOTES.md pitfall 2); x itself when it already has the dtype.
   */
  public static NDArray to(NDArray x, DataType dtype, NDManager into) {
    if (x.getDataType() == dtype) return x;
    if (!JniUtils.isGradMode()) return own(x.toType(dtype, false), into);
    if (dtype == DataType.FLOAT32) {
      // The zero is made natively and lives as long as the result (never a Java-memory scalar, pitfall 1).
      return own(x.add(into.zeros(new Shape(1), DataType.FLOAT32)), into);
    }
    NDArray column = own(x.expandDims(-1), into); // (..., 1)
    NDArray cast = own(JniUtils.cumProd((PtNDArray) column, -1, dtype), into);
    return own(cast.squeeze(-1), into);
  }

  private static NDArray own(NDArray a, NDManager into) {
    if (a.getManager() != into) a.attach(into);
    return a;
  }
}
