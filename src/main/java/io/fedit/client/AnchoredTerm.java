package io.fedit.client;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedit.lora.AdapterWeights;
import io.fedit.lora.LoraAdapter;
import io.fedit.model.LlamaConfig;

/**
 * Base of loss terms that pair each trainable array with a fixed adapter-shaped reference (FedProx's w_global,
 * SCAFFOLD's c − c_i). The reference is placed once, on the first call, in the trained adapter's own manager
 * and in its layout (A^T, B^T, its dtype), so it lives exactly as long as that training run. One instance
 * per training run.
 */
abstract class AnchoredTerm implements LossTerm {
  private final LlamaConfig config;
  private final AdapterWeights reference;
  private final double factor;
  private LoraAdapter placed;
  private NDArray factorArray; // 0-d, long-lived (PLATFORM pitfall 1)

  AnchoredTerm(LlamaConfig config, AdapterWeights reference, double factor) {
    this.config = config;
    this.reference = reference;
    this.factor = factor;
  }

  /** The term of one parameter array {@code p} and its reference {@code r}, a () array in {@code step}. */
  abstract NDArray perArray(NDArray p, NDArray r, NDManager step);

  @Override
  public final NDArray value(LoraAdapter adapter, NDManager step) {
    NDList params = adapter.parameters();
    if (placed == null) {
      var dtype = params.get(0).getDataType();
      placed = LoraAdapter.create(adapter.manager(), config, reference, 1.0, 0.0, dtype);
      factorArray = adapter.manager().create(new float[] {(float) factor}, new Shape()).toType(dtype, false);
    }
    NDList refs = placed.parameters();
    if (refs.size() != params.size()) {
      throw new IllegalArgumentException("reference adapter has " + refs.size() + " arrays, the trained one " + params.size());
    }
    NDArray total = null;
    for (int i = 0; i < params.size(); i++) {
      NDArray t = perArray(params.get(i), refs.get(i), step);
      total = total == null ? t : total.add(t);
    }
    return own(total.mul(factorArray), step);
  }

  /** Moves an op result into the step's manager (an op's result belongs to its first operand's manager). */
  static NDArray own(NDArray a, NDManager step) {
    a.attach(step);
    return a;
  }
}
