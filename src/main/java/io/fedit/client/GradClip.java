package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Global-norm gradient clipping as torch.nn.utils.clip_grad_norm_: coef = min(1, max / (norm + 1e-6)),
 * every gradient scaled in place. Computed natively (no sync to Java). Call with grad mode off.
 */
final class GradClip {
  private final Scalar maxNorm, tiny, one;
  private final boolean enabled;

  GradClip(NDManager run, double maxNorm) {
    this.enabled = maxNorm > 0;
    this.maxNorm = new Scalar(run, maxNorm);
    this.tiny = new Scalar(run, 1e-6);
    this.one = new Scalar(run, 1);
  }

  /** Clips {@code grads} (owned by step) in place when enabled; returns the global norm before clipping, () in step. */
  NDArray apply(NDList grads, NDManager step) {
    NDArray total = null;
    for (NDArray g : grads) {
      NDArray s = g.mul(g).sum(); // ()
      total = total == null ? s : total.addi(s);
    }
    NDArray norm = total.sqrt();
    if (enabled) {
      NDArray coef = maxNorm.array.div(norm.add(tiny.array));
      coef.attach(step);
      NDArray clamped = coef.minimum(one.array);
      for (NDArray g : grads) g.muli(clamped);
    }
    return norm;
  }
}
