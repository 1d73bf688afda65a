package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.LlamaConfig;

/**
 * SCAFFOLD's correction (Karimireddy et al. 2020) as a loss term: &lt;w, c − c_i&gt; summed over every
 * LoRA array, whose gradient adds c − c_i to the client's gradient at every optimizer step.
 */
public final class ControlVariateTerm extends AnchoredTerm {
  /** {@code correction} = c − c_i, in PEFT layout. */
  public ControlVariateTerm(LlamaConfig config, AdapterWeights correction) {
    super(config, correction, 1.0);
  }

  @Override
  NDArray perArray(NDArray p, NDArray r, NDManager step) {
    return own(p.mul(r), step).sum();
  }
}
