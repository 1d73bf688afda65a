package io.fedit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.EnumMap;
import java.util.Map;

/**
 * The Llama-family decoder in DJL (Llama 1/2/3.x, Mistral, Qwen2; see {@link LlamaConfig} for what differs):
 * embedding -> N x [RMSNorm -> grouped-query attention with RoPE -> residual -> RMSNorm -> SiLU-gated MLP ->
 * residual] -> RMSNorm -> output head (tied or separate). Each projection is x·W^T (+ bias where the family
 * has one) (+ the branch of an optional {@link LowRankDelta}, e.g. LoRA).
 *
 * <p>Notation: B batch, T new tokens, S attended positions (cache + new), H hidden, Hq/Hkv query/KV heads,
 * D head dim (config's head_dim, not always H/Hq), V vocab, I intermediate. Base weights are stored once as (in, out) so every projection is
 * {@code x.matMul(W^T)} with the per-step activation as first operand: DJL attaches an op's result to its
 * first operand's manager, so all temporaries land in the caller's step manager (docs/PLATFORM_NOTES.md pitfall 2).
 * Scalars are long-lived 0-d arrays (pitfall 1). Base weights never require gradients.
 *
 * <p>bfloat16: DJL 0.36 cannot hold a bfloat16 array, so a bfloat16 model keeps its weights and runs this same
 * forward (same shapes, same family data) inside a TorchScript module, {@link ScriptedDecoder}; the fields for
 * DJL's weights then stay empty, and the LoRA branch runs there with the adapter's float32 factors.
 */
public final class LlamaModel implements AutoCloseable {
  private final LlamaConfig c;
  private final NDManager manager;
  private final DataType dtype;
  private final NDArray embed; // (V, H)
  private final NDArray headT; // (H, V)
  private final NDArray finalNorm; // (H)
  private final Layer[] layers;
  private final NDArray eps; // 0-d float32
  private final NDArray attnScale; // 0-d, 1/sqrt(D)
  private final NDArray rotateHalf; // (D, D) signed permutation, see rope()
  private final RopeTables rope; // cos/sin per position, scaled per rope_scaling
  private final ScriptedDecoder scripted; // bfloat16 only: the frozen forward runs there, the fields above stay empty

  /** One decoder layer's weights. */
  private static final class Layer {
    NDArray attnNorm; // (H)
    NDArray mlpNorm; // (H)
    final Map<Projection, NDArray> wT = new EnumMap<>(Projection.class); // (in, out)
    final Map<Projection, NDArray> bias = new EnumMap<>(Projection.class); // (out), only where the family has one
  }

  /** @param scriptDtype null: DJL ops; else the frozen forward runs in the TorchScript decoder in this dtype */
  private LlamaModel(ModelWeights w, NDManager parent, DataType dtype, DataType scriptDtype) {
    this.c = w.config();
    this.manager = parent.newSubManager();
    this.dtype = dtype;
    eps = manager.create(new float[] {(float) c.rmsNormEps()}, new Shape());
    if (scriptDtype != null) { // the weights live in the script only (DJL cannot hold bfloat16 arrays)
      scripted = ScriptedDecoder.create(w, manager, scriptDtype);
      embed = headT = finalNorm = attnScale = rotateHalf = null;
      layers = new Layer[0];
    } else {
      scripted = null;
      embed = place(w.get("model.embed_tokens.weight"), false);
      headT = place(ScriptedDecoder.headWeight(w), true);
      finalNorm = place(w.get("model.norm.weight"), false);
      layers = new Layer[c.numLayers()];
      for (int i = 0; i < layers.length; i++) {
        String p = "model.layers." + i + ".";
        Layer l = new Layer();
        l.attnNorm = place(w.get(p + "input_layernorm.weight"), false);
        l.mlpNorm = place(w.get(p + "post_attention_layernorm.weight"), false);
        for (Projection pr : Projection.ALL) {
          l.wT.put(pr, place(w.get(pr.prefix(i) + ".weight"), true));
          if (pr.hasBias(c)) l.bias.put(pr, place(w.get(pr.prefix(i) + ".bias"), false));
        }
        layers[i] = l;
      }
      // No try/close of the float32 source: toType to the same dtype aliases it, and arrays created from Java
      // memory must outlive every alias (closing it would free the memory under attnScale).
      attnScale = manager.create(new float[] {(float) (1.0 / Math.sqrt(c.headDim()))}, new Shape()).toType(dtype, false);
      rotateHalf = rotateHalfMatrix(c.headDim());
    }
    rope = new RopeTables(c);
  }

  /** Places the weights under a new sub-manager of {@code parent} (its device) in the given compute dtype. */
  public static LlamaModel create(ModelWeights weights, NDManager parent, DataType dtype) {
    Compute.requireSupported(dtype);
    return new LlamaModel(weights, parent, dtype, dtype == DataType.BFLOAT16 ? DataType.BFLOAT16 : null);
  }

  /**
   * For benchmarks: the TorchScript decoder that bfloat16 uses, computing in float32 instead (dtype() is
   * float32), to measure what bfloat16 itself saves within the same script.
   */
  public static LlamaModel createScriptedFloat32(ModelWeights weights, NDManager parent) {
    return new LlamaModel(weights, parent, DataType.FLOAT32, DataType.FLOAT32);
  }

  /** A weight as a long-lived array in the compute dtype (see {@link #placeF32}). */
  private NDArray place(ModelWeights.Weight w, boolean transpose) {
    NDArray a = placeF32(manager, w, transpose);
    if (dtype == DataType.FLOAT32) return a;
    NDArray cast = a.toType(dtype, false);
    a.close();
    return cast;
  }

  /** A weight as a float32 array in {@code m}; {@code transpose} turns an (out, in) linear weight into (in, out). */
  static NDArray placeF32(NDManager m, ModelWeights.Weight w, boolean transpose) {
    float[] v = w.values();
    Shape shape = new Shape(w.shape());
    if (transpose) {
      int out = (int) w.shape()[0], in = (int) w.shape()[1];
      float[] t = new float[v.length];
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) t[i * out + o] = v[o * in + i];
      }
      v = t;
      shape = new Shape(in, out);
    }
    return m.create(v, shape);
  }

  public LlamaConfig config() {
    return c;
  }

  public DataType dtype() {
    return dtype;
  }

  /** The manager that owns the weights; sub-managers of it live on the model's device. */
  public NDManager manager() {
    return manager;
  }

  /** A fresh cache for incremental decoding. */
  public KvCache newCache(NDManager parent) {
    return new KvCache(parent, c.numLayers());
  }

  /**
   * Training/evaluation forward: ids (B, T) int -> logits (B, T, V) float32, in ids' manager. Causal
   * attention; right padding is harmless (earlier positions never see later ones), mask it in the loss.
   *
   * @param lora low-rank delta (LoRA adapter) or null; {@code training} turns its dropout on
   */
  public NDArray forward(NDArray ids, LowRankDelta lora, boolean training) {
    return run(ids, null, lora, training, false);
  }

  /** Incremental forward: appends ids (B, T) at the cache's position; returns the last position's logits (B, V). */
  public NDArray forwardStep(NDArray ids, KvCache cache, LowRankDelta lora) {
    return run(ids, cache, lora, false, true);
  }

  private NDArray run(NDArray ids, KvCache cache, LowRankDelta lora, boolean training, boolean lastOnly) {
    if (scripted != null) return scripted.run(ids, cache, rope, lora, training, lastOnly); // bfloat16
    NDManager m = ids.getManager();
    int b = (int) ids.getShape().get(0), t = (int) ids.getShape().get(1);
    int start = cache == null ? 0 : cache.length();
    c.requireFits(start + t);
    NDArray flat = ids.toType(DataType.INT64, false).reshape(-1); // (B*T)
    NDArray x = embed.get(m, new NDIndex("{}", flat)).reshape(b, t, c.hiddenSize()); // (B, T, H)
    NDArray cos = toDtype(rope.cos(m, start, t));
    NDArray sin = toDtype(rope.sin(m, start, t));
    NDArray mask = t > 1 ? causalMask(m, t, start) : null; // (T, S) float32
    for (int i = 0; i < layers.length; i++) {
      x = x.add(attention(rmsNorm(x, layers[i].attnNorm), i, cos, sin, mask, cache, lora, training));
      x = x.add(mlp(rmsNorm(x, layers[i].mlpNorm), i, lora, training));
    }
    if (cache != null) cache.advance(t);
    if (lastOnly) x = x.get(new NDIndex(":, -1, :")); // (B, H)
    NDArray logits = rmsNorm(x, finalNorm).matMul(headT); // (B, [T,] V)
    return Casts.to(logits, DataType.FLOAT32);
  }

  /**
   * x * rsqrt(mean(x^2) + eps) * w; half types are normalised in float32 as Hugging Face does, through
   * differentiable {@link Casts}. x: (..., H).
   */
  private NDArray rmsNorm(NDArray x, NDArray w) {
    NDArray xf = Casts.to(x, DataType.FLOAT32);
    NDArray rms = xf.square().mean(new int[] {-1}, true).add(eps).sqrt(); // (..., 1)
    NDArray normed = xf.div(rms);
    return Casts.to(normed, dtype).mul(w);
  }

  /** A projection with its bias and optional low-rank branch: x (..., in) -> (..., out). */
  private NDArray proj(NDArray x, int layer, Projection p, LowRankDelta lora, boolean training) {
    NDArray y = x.matMul(layers[layer].wT.get(p));
    NDArray bias = layers[layer].bias.get(p);
    if (bias != null) y = y.add(bias);
    NDArray delta = lora == null ? null : lora.apply(x, layer, p, training);
    return delta == null ? y : y.add(delta);
  }

  /** Grouped-query causal self-attention. h: (B, T, H) -> (B, T, H). */
  private NDArray attention(NDArray h, int layer, NDArray cos, NDArray sin, NDArray mask, KvCache cache,
      LowRankDelta lora, boolean training) {
    long b = h.getShape().get(0), t = h.getShape().get(1);
    int hq = c.numHeads(), hkv = c.numKvHeads(), d = c.headDim(), rep = hq / hkv;
    NDArray q = proj(h, layer, Projection.Q_PROJ, lora, training).reshape(b, t, hq, d).transpose(0, 2, 1, 3); // (B, Hq, T, D)
    NDArray k = proj(h, layer, Projection.K_PROJ, lora, training).reshape(b, t, hkv, d).transpose(0, 2, 1, 3); // (B, Hkv, T, D)
    NDArray v = proj(h, layer, Projection.V_PROJ, lora, training).reshape(b, t, hkv, d).transpose(0, 2, 1, 3); // (B, Hkv, T, D)
    q = rope(q, cos, sin);
    NDArray kT = rope(k, cos, sin).transpose(0, 1, 3, 2); // (B, Hkv, D, T)
    if (cache != null) {
      NDArray[] kv = cache.append(layer, kT, v);
      kT = kv[0]; // (B, Hkv, D, S)
      v = kv[1]; // (B, Hkv, S, D)
    }
    long s = kT.getShape().get(3);
    // Query heads g*rep .. g*rep+rep-1 share KV head g: fold them into the row axis instead of copying K/V.
    NDArray scores = q.reshape(b, hkv, rep * t, d).matMul(kT).mul(attnScale); // (B, Hkv, rep*T, S)
    // Mask and softmax in float32 whatever the compute dtype (as torch autocast does); probabilities back in it.
    NDArray scores32 = Casts.to(scores, DataType.FLOAT32);
    if (mask != null) scores32 = scores32.reshape(b, hkv, rep, t, s).add(mask).reshape(b, hkv, rep * t, s);
    NDArray out = Casts.to(scores32.softmax(-1), dtype).matMul(v); // (B, Hkv, rep*T, D)
    out = out.reshape(b, hq, t, d).transpose(0, 2, 1, 3).reshape(b, t, (long) hq * d); // (B, T, Hq*D)
    return proj(out, layer, Projection.O_PROJ, lora, training); // (B, T, H)
  }

  /**
   * Rotary embedding, HF rotate-half pairing: x*cos + [-x2, x1]*sin. x: (B, heads, T, D); cos/sin: (T, D).
   * [-x2, x1] is computed as x·P with a fixed signed permutation P (D, D): one op instead of split/neg/concat.
   */
  private NDArray rope(NDArray x, NDArray cos, NDArray sin) {
    return x.mul(cos).add(x.matMul(rotateHalf).mul(sin));
  }

  /** P (D, D) with (x·P) = [-x2, x1]. */
  private NDArray rotateHalfMatrix(int d) {
    int half = d / 2;
    float[] p = new float[d * d];
    for (int j = 0; j < half; j++) {
      p[(j + half) * d + j] = -1f; // out[j] = -x[j + half]
      p[j * d + j + half] = 1f; // out[j + half] = x[j]
    }
    NDArray f = manager.create(p, new Shape(d, d));
    if (dtype == DataType.FLOAT32) return f;
    NDArray cast = f.toType(dtype, false);
    f.close();
    return cast;
  }

  /** SiLU-gated MLP: down(silu(gate(h)) * up(h)). h: (B, T, H) -> (B, T, H). */
  private NDArray mlp(NDArray h, int layer, LowRankDelta lora, boolean training) {
    NDArray gate = proj(h, layer, Projection.GATE_PROJ, lora, training); // (B, T, I)
    NDArray up = proj(h, layer, Projection.UP_PROJ, lora, training); // (B, T, I)
    NDArray act = gate.mul(Activation.sigmoid(gate)).mul(up);
    return proj(act, layer, Projection.DOWN_PROJ, lora, training);
  }

  /** (T, S) float32 additive mask: 0 where new token t (at position start+t) may see position s, else -inf. */
  private NDArray causalMask(NDManager m, int t, int start) {
    int s = start + t;
    float[] mask = new float[t * s];
    for (int i = 0; i < t; i++) {
      for (int j = start + i + 1; j < s; j++) mask[i * s + j] = Float.NEGATIVE_INFINITY;
    }
    return m.create(mask, new Shape(t, s));
  }

  private NDArray toDtype(NDArray a) {
    return a.getDataType() == dtype ? a : a.toType(dtype, false);
  }

  /** Folds the delta into the base weights: W^T += ΔW^T (for LoRA, (scaling * B·A)^T). */
  public void merge(LowRankDelta delta) {
    foldIn(delta, true);
  }

  /** Undoes {@link #merge}: W^T -= ΔW^T, with the same delta computation. */
  public void unmerge(LowRankDelta delta) {
    foldIn(delta, false);
  }

  private void foldIn(LowRankDelta delta, boolean add) {
    if (scripted != null) {
      throw new ModelException("merging an adapter into a bfloat16 model is not supported (its weights live in the "
          + "TorchScript decoder); merge into float32 weights (MergedWeights) instead");
    }
    for (int layer = 0; layer < layers.length; layer++) {
      for (Projection p : Projection.ALL) {
        if (!delta.has(layer, p)) continue;
        NDArray w = layers[layer].wT.get(p);
        try (NDArray d = delta.deltaWeightT(layer, p)) {
          if (add) w.addi(d);
          else w.subi(d);
        }
      }
    }
  }

  @Override
  public void close() {
    if (scripted != null) scripted.close();
    manager.close();
  }
}
