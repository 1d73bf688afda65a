package io.fedit.lora;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A LoRA adapter as plain Java data: an ordered map from tensor name to (shape, float values), with the
 * names Hugging Face PEFT writes (e.g. {@code base_model.model.model.layers.3.self_attn.q_proj.lora_A.weight}).
 * It carries no DJL types, so it crosses Spark (Java serialization) and goes into Parquet as it is.
 * Immutable: the constructor copies nothing but the map; callers must not mutate arrays they passed in.
 */
public final class AdapterWeights implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One tensor: row-major float32 values of the given shape. */
  public record Tensor(long[] shape, float[] values) implements Serializable {
    public Tensor {
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(values, "values");
      long n = 1;
      for (long d : shape) {
        if (d <= 0) throw new IllegalArgumentException("tensor dimension must be > 0, got " + Arrays.toString(shape));
        n *= d;
      }
      if (n != values.length) {
        throw new IllegalArgumentException(
            "shape " + Arrays.toString(shape) + " holds " + n + " values, got " + values.length);
      }
    }

    public boolean sameShape(Tensor other) {
      return Arrays.equals(shape, other.shape);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
      return "Tensor" + Arrays.toString(shape);
    }
  }

  private final LinkedHashMap<String, Tensor> tensors;

  public AdapterWeights(Map<String, Tensor> tensors) {
    this.tensors = new LinkedHashMap<>(tensors);
  }

  /** Tensor name → tensor, in insertion order. */
  public Map<String, Tensor> tensors() {
    return Collections.unmodifiableMap(tensors);
  }

  public Tensor get(String name) {
    return tensors.get(name);
  }

  public int size() {
    return tensors.size();
  }

  /** Total number of float values. */
  public long parameterCount() {
    long n = 0;
    for (Tensor t : tensors.values()) n += t.values().length;
    return n;
  }

  /** Null if {@code other} has exactly the same names (same order) and shapes, else what differs. */
  public String layoutMismatch(AdapterWeights other) {
    if (!tensors.keySet().equals(other.tensors.keySet())) {
      return "tensor names differ: expected " + tensors.keySet() + ", got " + other.tensors.keySet();
    }
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor o = other.tensors.get(e.getKey());
      if (!e.getValue().sameShape(o)) {
        return "tensor " + e.getKey() + " has shape " + Arrays.toString(o.shape()) + ", expected "
            + Arrays.toString(e.getValue().shape());
      }
    }
    return null;
  }

  /** Name of the first tensor holding a NaN or infinite value, or null when all are finite. */
  public String firstNonFinite() {
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      for (float v : e.getValue().values()) {
        if (!Float.isFinite(v)) return e.getKey();
      }
    }
    return null;
  }

  /** L2 norm of (this − other) over all tensors; layouts must match. */
  public double distanceTo(AdapterWeights other) {
    String mismatch = layoutMismatch(other);
    if (mismatch != null) throw new IllegalArgumentException(mismatch);
    double sum = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      float[] a = e.getValue().values();
      float[] b = other.tensors.get(e.getKey()).values();
      for (int i = 0; i < a.length; i++) {
        double d = (double) a[i] - b[i];
        sum += d * d;
      }
    }
    return Math.sqrt(sum);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdapterWeights a && tensors.equals(a.tensors);
  }

  @Override
  public int hashCode() {
    return tensors.hashCode();
  }

  @Override
  public String toString() {
    return "AdapterWeights{" + tensors.size() + " tensors, " + parameterCount() + " values}";
  }
}
