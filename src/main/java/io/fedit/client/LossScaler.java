package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Dynamic loss scaling for float16 compute, after torch.amp.GradScaler. Small gradients of a float16
 * backward pass flush to zero below ~6e-8; multiplying the loss by a large scale S lifts them into range,
 * and the float32 master gradients are divided by S again before clipping and AdamW. When S is too large
 * some float16 intermediate overflows and a gradient is inf/NaN: that step is skipped (no update, gradients
 * dropped) and S halves. After {@link #GROWTH_INTERVAL} good steps in a row S doubles again.
 *
 * <p>Constants: torch's GradScaler starts at 2^16 and grows every 2,000 steps. A client's local run here is
 * often only tens of steps and every skipped step is lost data, so the scale starts lower, at 2^12, and grows
 * every 200 good steps. Measured on the shipped model (MixedPrecisionTest): started at 2^20, runs skipped 3-4
 * steps, i.e. the first scale without overflow was 2^16-2^17; 2^12 leaves a margin of 16-32x and skipped no
 * step. The loss is a per-token mean, so the logit gradients are at most 1 before scaling.
 * In float32 the scaler is off: the backward seed is 1, nothing is synchronised and no step is skipped.
 *
 * <p>The backward seed carries the scale (d(S·L)/dθ = S·dL/dθ), so no extra op joins the graph.
 */
final class LossScaler {
  static final double INITIAL_SCALE = 4096; // 2^12
  static final double GROWTH_FACTOR = 2;
  static final double BACKOFF_FACTOR = 0.5;
  static final int GROWTH_INTERVAL = 200;
  static final double MIN_SCALE = 1.0 / (1 << 24); // below this a non-finite gradient is not an overflow of S

  private final boolean enabled;
  private final Scalar seed; // () float32: S, or 1 when off
  private final Scalar inverse; // () float32: 1 / S
  private double scale;
  private int goodSteps;
  private int skipped;

  LossScaler(NDManager run, boolean enabled) {
    this.enabled = enabled;
    this.scale = enabled ? INITIAL_SCALE : 1;
    this.seed = new Scalar(run, scale);
    this.inverse = new Scalar(run, 1 / scale);
  }

  /** The backward seed for the loss: a () float32 array holding the current scale. */
  NDArray seed() {
    return seed.array;
  }

  /** Divides the accumulated float32 gradients by the scale, in place (nothing when off). */
  void unscale(NDList grads) {
    if (!enabled) return;
    for (NDArray g : grads) g.muli(inverse.array);
  }

  /**
   * Whether the step's update may be applied, given the global norm of the unscaled gradients (() array;
   * read back to Java only when the scaler is on). On a non-finite norm: counts a skipped step, halves the
   * scale and returns false.
   */
  boolean stepIsFinite(NDArray gradNorm) {
    if (!enabled) return true;
    if (!Float.isFinite(gradNorm.getFloat())) {
      skipped++;
      goodSteps = 0;
      if (scale * BACKOFF_FACTOR < MIN_SCALE) {
        throw new IllegalStateException("float16 gradients stay non-finite down to loss scale " + scale
            + ": the forward pass itself overflows float16 (train in float32, or lower the learning rate)");
      }
      setScale(scale * BACKOFF_FACTOR);
      return false;
    }
    if (++goodSteps == GROWTH_INTERVAL) {
      goodSteps = 0;
      setScale(scale * GROWTH_FACTOR);
    }
    return true;
  }

  private void setScale(double s) {
    scale = s;
    seed.set(s);
    inverse.set(1 / s);
  }

  double scale() {
    return scale;
  }

  int skippedSteps() {
    return skipped;
  }
}
