package io.fedit.federation.update;

import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Element-wise arithmetic over adapters of one layout, computed in double from float32 inputs and rounded
 * to float32 once per result value. Used by the server optimizers and the delta aggregators.
 */
public final class AdapterMath {
  private AdapterMath() {}

  /** Computes one output value from the values at index i of the inputs (same tensor, same index). */
  @FunctionalInterface
  public interface Op {
    double apply(double[] in);
  }

  /** out[t][i] = op(inputs[0][t][i], inputs[1][t][i], ...): all inputs share the first one's layout. */
  public static AdapterWeights map(Op op, AdapterWeights... inputs) {
    AdapterWeights first = inputs[0];
    for (int k = 1; k < inputs.length; k++) {
      String mismatch = first.layoutMismatch(inputs[k]);
      if (mismatch != null) throw new IllegalArgumentException("operand " + k + ": " + mismatch);
    }
    Map<String, AdapterWeights.Tensor> out = new LinkedHashMap<>();
    double[] args = new double[inputs.length];
    for (Map.Entry<String, AdapterWeights.Tensor> e : first.tensors().entrySet()) {
      float[][] vs = new float[inputs.length][];
      for (int k = 0; k < inputs.length; k++) vs[k] = inputs[k].get(e.getKey()).values();
      float[] r = new float[vs[0].length];
      for (int i = 0; i < r.length; i++) {
        for (int k = 0; k < vs.length; k++) args[k] = vs[k][i];
        r[i] = (float) op.apply(args);
      }
      out.put(e.getKey(), new AdapterWeights.Tensor(e.getValue().shape().clone(), r));
    }
    return new AdapterWeights(out);
  }

  /**
   * The adapter of {@code layout}'s names and shapes holding {@code flat} (values in the layout's tensor order,
   * concatenated: what {@link UpdateSet#reduce} returns), each value {@code op(i, flat[i])} rounded to float32.
   */
  public static AdapterWeights unflatten(AdapterWeights layout, double[] flat, FlatOp op) {
    if (flat.length != layout.parameterCount()) {
      throw new IllegalArgumentException(flat.length + " values for an adapter of " + layout.parameterCount());
    }
    Map<String, AdapterWeights.Tensor> out = new LinkedHashMap<>();
    int at = 0;
    for (Map.Entry<String, AdapterWeights.Tensor> e : layout.tensors().entrySet()) {
      float[] r = new float[e.getValue().values().length];
      for (int i = 0; i < r.length; i++, at++) r[i] = (float) op.apply(e.getKey(), at, flat[at]);
      out.put(e.getKey(), new AdapterWeights.Tensor(e.getValue().shape().clone(), r));
    }
    return new AdapterWeights(out);
  }

  /** One output value of {@link #unflatten} from its tensor, flat index and reduced value. */
  @FunctionalInterface
  public interface FlatOp {
    double apply(String tensor, int flatIndex, double value);
  }

  /** An adapter of {@code like}'s layout with every value {@code v}. */
  public static AdapterWeights filled(AdapterWeights like, float v) {
    Map<String, AdapterWeights.Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, AdapterWeights.Tensor> e : like.tensors().entrySet()) {
      float[] r = new float[e.getValue().values().length];
      java.util.Arrays.fill(r, v);
      out.put(e.getKey(), new AdapterWeights.Tensor(e.getValue().shape().clone(), r));
    }
    return new AdapterWeights(out);
  }

  /** L2 norm over all values. */
  public static double norm(AdapterWeights a) {
    double s = 0;
    for (AdapterWeights.Tensor t : a.tensors().values()) {
      for (float v : t.values()) s += (double) v * v;
    }
    return Math.sqrt(s);
  }

  /** Whether a tensor name is a LoRA A matrix (frozen under FFA-LoRA). */
  public static boolean isLoraA(String name) {
    return name.contains("lora_A");
  }
}
