package io.fedit.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.Dropout;
import io.fedit.model.Casts;
import io.fedit.model.LlamaConfig;
import io.fedit.model.LowRankDelta;
import io.fedit.model.ModelException;
import io.fedit.model.Projection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A LoRA adapter on the native side. For each target it holds A^T (in, r) and B^T (r, out) - stored
 * transposed so that the forward is x·A^T·B^T with the activation as first operand (no per-step transposes
 * of long-lived arrays, docs/PLATFORM_NOTES.md pitfall 2). These arrays are the trainable parameters: a trainer calls
 * {@code setRequiresGradient(true)} on {@link #parameters()}; base weights never require gradients.
 *
 * <p>Mixed precision: A^T and B^T are always float32 master weights (so are their gradients and whatever an
 * optimizer keeps for them). The branch computes in the model's compute dtype: each forward casts A^T and B^T
 * to it (a differentiable cast, so gradients flow back into the float32 masters), as torch autocast does.
 * bfloat16 is the exception: the model's scripted decoder runs the branch itself in float32 from
 * {@link #factorsT} and {@link #dropoutMask} ({@link #apply} is not called).
 */
public final class LoraAdapter implements LowRankDelta, AutoCloseable {
  private final NDManager manager;
  private final Map<LoraTarget, NDArray[]> targets = new LinkedHashMap<>(); // target -> {A^T, B^T}
  private final Map<LoraTarget, String[]> names = new LinkedHashMap<>(); // target -> {name A, name B}
  private final NDArray scaling32; // 0-d float32, long-lived (pitfall 1)
  private final NDArray scaling; // 0-d in the compute dtype (scaling32 itself in float32)
  private final float scalingValue;
  private final float dropout;
  private final DataType compute; // the model's compute dtype; the branch runs in it
  private DropoutMasks masks; // null: DJL's dropout (libtorch's process-wide RNG)

  /**
   * Source of training-time dropout masks: for x (..., in) a mask of x's shape in x's manager with entries 0
   * or 1/(1-p). A trainer sets one seeded per run so dropout is deterministic and independent of other
   * trainers in the same JVM (libtorch's own RNG is process-wide).
   */
  @FunctionalInterface
  public interface DropoutMasks {
    /** A mask of {@code shape} in {@code m} and {@code dtype}. */
    NDArray mask(NDManager m, Shape shape, DataType dtype, float p);

    /** A mask of x's shape, dtype and manager. */
    default NDArray mask(NDArray x, float p) {
      return mask(x.getManager(), x.getShape(), x.getDataType(), p);
    }
  }

  private LoraAdapter(NDManager manager, float scaling, float dropout, DataType dtype) {
    this.manager = manager;
    this.scalingValue = scaling;
    this.scaling32 = manager.create(new float[] {scaling}, new Shape());
    // bfloat16: the branch runs inside the scripted decoder (factorsT), never through DJL ops, and DJL
    // cannot create a bfloat16 array; anything computed here stays float32.
    this.compute = dtype == DataType.BFLOAT16 ? DataType.FLOAT32 : dtype;
    this.scaling = compute == DataType.FLOAT32 ? scaling32 : scaling32.toType(compute, false);
    this.dropout = dropout;
  }

  /**
   * Places an adapter on the native side under a new sub-manager of {@code parent}.
   *
   * @param scaling alpha / r (or alpha / sqrt(r)); see {@code LoraSection.scaling()}
   * @param dtype   the model's compute dtype (the branch's); the weights themselves are float32
   */
  public static LoraAdapter create(NDManager parent, LlamaConfig config, AdapterWeights weights, double scaling,
      double dropout, DataType dtype) {
    io.fedit.model.Compute.requireSupported(dtype);
    LoraAdapter a = new LoraAdapter(parent.newSubManager(), (float) scaling, (float) dropout, dtype);
    try {
      for (String name : weights.tensors().keySet()) {
        LoraTarget t = LoraTarget.parse(name);
        if (t == null) throw new ModelException("adapter tensor '" + name + "' is not a PEFT LoRA weight name");
        if (t.layer() >= config.numLayers()) throw new ModelException("adapter tensor '" + name + "' names a missing layer");
        if (a.targets.containsKey(t)) continue;
        AdapterWeights.Tensor ta = weights.get(t.nameA());
        AdapterWeights.Tensor tb = weights.get(t.nameB());
        if (ta == null || tb == null) throw new ModelException("adapter lacks '" + (ta == null ? t.nameA() : t.nameB()) + "'");
        long r = ta.shape()[0];
        long in = t.inFeatures(config), out = t.outFeatures(config);
        if (ta.shape().length != 2 || ta.shape()[1] != in || tb.shape().length != 2 || tb.shape()[0] != out
            || tb.shape()[1] != r) {
          throw new ModelException("adapter tensors '" + t.nameA() + "' " + java.util.Arrays.toString(ta.shape())
              + " / '" + t.nameB() + "' " + java.util.Arrays.toString(tb.shape()) + " do not fit (r, " + in + ") / ("
              + out + ", r)");
        }
        NDArray aT = a.manager.create(transpose(ta.values(), (int) r, (int) in), new Shape(in, r));
        NDArray bT = a.manager.create(transpose(tb.values(), (int) out, (int) r), new Shape(r, out));
        a.targets.put(t, new NDArray[] {aT, bT});
        a.names.put(t, new String[] {t.nameA(), t.nameB()});
      }
    } catch (RuntimeException e) {
      a.close();
      throw e;
    }
    return a;
  }

  /** Row-major (rows, cols) -> (cols, rows). */
  static float[] transpose(float[] v, int rows, int cols) {
    float[] t = new float[v.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) t[j * rows + i] = v[i * cols + j];
    }
    return t;
  }

  @Override
  public boolean has(int layer, Projection p) {
    return targets.containsKey(new LoraTarget(layer, p));
  }

  /**
   * The LoRA branch of a projection: scaling * dropout(x)·A^T·B^T, shape (..., out), or null when the
   * projection is not adapted. Dropout is active only when {@code training} is true.
   */
  @Override
  public NDArray apply(NDArray x, int layer, Projection p, boolean training) {
    NDArray[] ab = targets.get(new LoraTarget(layer, p));
    if (ab == null) return null;
    NDArray h = x;
    if (training && dropout > 0) {
      h = masks != null ? x.mul(masks.mask(x, dropout)) : Dropout.dropout(x, dropout, true).singletonOrThrow();
    }
    return h.matMul(inCompute(ab[0], x.getManager())).matMul(inCompute(ab[1], x.getManager())).mul(scaling);
  }

  /**
   * A float32 master in the compute dtype, owned by {@code m} (a cast's result would join the master's manager),
   * through a cast autograd sees, so the gradient reaches the master in float32.
   */
  private NDArray inCompute(NDArray master, NDManager m) {
    return compute == DataType.FLOAT32 ? master : Casts.to(master, compute, m);
  }

  /**
   * The delta of the base weight in the model's (in, out) layout: scaling * A^T·B^T = (scaling * B·A)^T,
   * computed in float32 and returned in the compute dtype. The one place merge and unmerge take their delta
   * from. Caller closes the result.
   */
  @Override
  public NDArray deltaWeightT(int layer, Projection p) {
    NDArray[] ab = targets.get(new LoraTarget(layer, p));
    if (ab == null) throw new IllegalArgumentException("no adapter on layer " + layer + " " + p.peftName());
    try (NDArray prod = ab[0].matMul(ab[1])) {
      NDArray d = prod.mul(scaling32);
      if (compute == DataType.FLOAT32) return d;
      try (d) {
        return d.toType(compute, false);
      }
    }
  }

  @Override
  public NDArray[] factorsT(int layer, Projection p) {
    NDArray[] ab = targets.get(new LoraTarget(layer, p));
    if (ab == null) throw new IllegalArgumentException("no adapter on layer " + layer + " " + p.peftName());
    return new NDArray[] {ab[0], ab[1]};
  }

  @Override
  public NDArray dropoutMask(NDManager m, Shape shape, boolean training) {
    if (!training || dropout <= 0) return null;
    if (masks != null) return masks.mask(m, shape, DataType.FLOAT32, dropout);
    return Dropout.dropout(m.ones(shape), dropout, true).singletonOrThrow();
  }

  /** All trainable arrays (float32 masters), A^T then B^T for each target, in adapter order. */
  public NDList parameters() {
    NDList list = new NDList();
    for (NDArray[] ab : targets.values()) {
      list.add(ab[0]);
      list.add(ab[1]);
    }
    return list;
  }

  /**
   * The arrays a trainer updates: all of {@link #parameters()}, or under {@link TrainableArrays#B_ONLY}
   * (FFA-LoRA) only the B^T arrays, so that every A keeps its initial value exactly.
   */
  public NDList trainableParameters(TrainableArrays which) {
    if (which == TrainableArrays.A_AND_B) return parameters();
    NDList list = new NDList();
    for (NDArray[] ab : targets.values()) list.add(ab[1]);
    return list;
  }

  /** The targets, in adapter order. */
  public Iterable<LoraTarget> targets() {
    return targets.keySet();
  }

  /** Reads the current (float32 master) values back into PEFT-shaped plain Java data: A (r, in), B (out, r). */
  public AdapterWeights toAdapterWeights() {
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    for (Map.Entry<LoraTarget, NDArray[]> e : targets.entrySet()) {
      NDArray aT = e.getValue()[0], bT = e.getValue()[1];
      int in = (int) aT.getShape().get(0), r = (int) aT.getShape().get(1), out = (int) bT.getShape().get(1);
      m.put(e.getKey().nameA(), new AdapterWeights.Tensor(new long[] {r, in}, transpose(aT.toFloatArray(), in, r)));
      m.put(e.getKey().nameB(), new AdapterWeights.Tensor(new long[] {out, r}, transpose(bT.toFloatArray(), r, out)));
    }
    return new AdapterWeights(m);
  }

  /** Uses {@code masks} for dropout in training forwards from now on (null: DJL's dropout). */
  public void setDropoutMasks(DropoutMasks masks) {
    this.masks = masks;
  }

  public float dropout() {
    return dropout;
  }

  @Override
  public float scaling() {
    return scalingValue;
  }

  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }
}
