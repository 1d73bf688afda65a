package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fedit.lora.LoraAdapter;

/**
 * An extra term of the client's loss, added once per optimizer step to the token loss (FedProx's
 * mu/2 * ||w - w_global||^2, SCAFFOLD's correction, ...). Built from the adapter's parameters with ops whose
 * first operand is in {@code step} or attached to it; scalars as long-lived 0-d arrays.
 */
@FunctionalInterface
public interface LossTerm {
  /** A () array in {@code step}, differentiable w.r.t. {@code adapter.parameters()}. */
  NDArray value(LoraAdapter adapter, NDManager step);
}
