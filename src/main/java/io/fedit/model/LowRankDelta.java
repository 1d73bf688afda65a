package io.fedit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A low-rank change of some projections' weights, W' = W + ΔW with ΔW of low rank (a LoRA adapter is one).
 * The model asks it for the extra branch of a projection during the forward pass, and for ΔW when folding
 * it into the base weights. Shapes: x (..., in); branch (..., out); ΔW^T (in, out), the model's layout.
 */
public interface LowRankDelta {
  /** Whether this delta changes projection {@code p} of decoder layer {@code layer}. */
  boolean has(int layer, Projection p);

  /**
   * The branch ΔW·x of one projection for activations x (..., in), in x's manager, or null when the
   * projection is unchanged. {@code training} turns on training-only behaviour such as dropout.
   */
  NDArray apply(NDArray x, int layer, Projection p, boolean training);

  /** ΔW^T (in, out) of a projection this delta {@link #has}; the caller closes it. */
  NDArray deltaWeightT(int layer, Projection p);

  /**
   * For a forward pass computed outside DJL's ops (the bfloat16 {@link ScriptedDecoder}): the factors
   * {A^T (in, r), B^T (r, out)} of a projection this delta {@link #has}, float32 and trainable (not copies),
   * with the branch being {@code scaling() * (mask * x)·A^T·B^T}.
   */
  NDArray[] factorsT(int layer, Projection p);

  /** The branch's scale (LoRA: alpha / r). */
  float scaling();

  /**
   * The training-time dropout mask (entries 0 or 1/(1-p)) for a branch input of {@code shape}, float32 in
   * {@code m}; null when there is none (not training, or no dropout). One fresh mask per call.
   */
  NDArray dropoutMask(NDManager m, Shape shape, boolean training);
}
