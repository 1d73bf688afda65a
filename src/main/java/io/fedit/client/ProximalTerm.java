package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fedit.lora.AdapterWeights;
import io.fedit.model.LlamaConfig;

/**
 * FedProx's proximal term (Li et al. 2020): mu/2 · ||w − w_global||² summed over every LoRA array, with
 * w_global the adapter the client started the round from. Its gradient is mu · (w − w_global).
 */
public final class ProximalTerm extends AnchoredTerm {
  public ProximalTerm(LlamaConfig config, AdapterWeights global, double mu) {
    super(config, global, mu / 2);
  }

  @Override
  NDArray perArray(NDArray p, NDArray r, NDManager step) {
    NDArray d = own(p.sub(r), step);
    return d.square().sum();
  }
}
