package io.fedit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The frozen forward in bfloat16, run by a TorchScript module inside libtorch: the route around DJL 0.36,
 * whose JNI aborts the process on any bfloat16 tensor (docs/PLATFORM_NOTES.md pitfall 6). Only float32 and
 * int64 tensors cross the boundary; the module keeps bfloat16 copies of the base weights and computes the
 * whole decoder up to the logits inside, so bfloat16 work is not cut up by casts at every op.
 *
 * <p>The module's source is {@code src/main/python/frozen_decoder_bf16.py} (its docstring is the contract and
 * the command that regenerates the shipped {@code frozen_decoder_bf16.pt}). Everything the family decides is
 * passed in as data: weights in the model's (in, out) layout with their biases, head counts and head dim,
 * rms_norm_eps, and the RoPE cos/sin rows from {@link RopeTables} (rope_scaling applied there).
 *
 * <p>LoRA stays in DJL: the float32 master factors A^T (in, r), B^T (r, out) of each adapted projection and
 * its dropout mask (drawn in Java, e.g. by the trainer's seeded generator) are passed in per call. The module
 * runs on the calling thread under its grad mode, so with grad mode on libtorch autograd records the scripted
 * ops and a backward from the loss reaches the float32 masters.
 */
public final class ScriptedDecoder implements AutoCloseable {
  static final String RESOURCE = "frozen_decoder_bf16.pt";
  private static final int PROJECTIONS = Projection.ALL.size(); // 7 per layer, in Projection order

  private final LlamaConfig c;
  private final NDManager manager;
  private final PtSymbolBlock module;
  // Per-list placeholders for "no tensor here" (0 elements). DJL groups list entries by array name at call
  // time, so each list needs its own placeholder array carrying that list's name.
  private final NDArray noA;
  private final NDArray noB;
  private final NDArray noDrop;

  private static PtSymbolBlock loadModule(NDManager m) {
    try (InputStream in = ScriptedDecoder.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new ModelException("resource io/fedit/model/" + RESOURCE + " is missing from the classpath");
      return JniUtils.loadModule((PtNDManager) m, in, true, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    } catch (ai.djl.engine.EngineException e) {
      throw new ModelException("model.dtype bfloat16: libtorch " + ai.djl.engine.Engine.getInstance().getVersion()
          + " cannot load the bfloat16 decoder module " + RESOURCE + " (" + e.getMessage() + "); use float32", e);
    }
  }

  /**
   * For benchmarks: seconds for {@code reps} bfloat16 matmuls x·w inside libtorch (x (n, k), w (k, m) float32,
   * cast once beforehand; one product per call, so DJL's call overhead of some tens of microseconds is
   * included), the rate the bfloat16 decoder's GEMMs can reach. Runs on the calling thread.
   */
  public static double bfloat16MatmulSeconds(NDArray x, NDArray w, int reps) {
    try (NDManager m = x.getManager().newSubManager()) {
      PtSymbolBlock module = loadModule(m);
      try {
        NDArray zero = m.create(0f);
        NDList prepare = new NDList(named(x, null), named(m.create(0f), "module_method:matmul_prepare"), named(w, null));
        IValueUtils.forward(module, prepare, false).attach(m);
        NDList once = new NDList(named(zero, null), named(m.create(0f), "module_method:matmul_once"));
        IValueUtils.forward(module, once, false).attach(m); // warm-up
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) IValueUtils.forward(module, once, false).attach(m);
        return (System.nanoTime() - t0) / 1e9;
      } finally {
        module.close();
      }
    }
  }

  private ScriptedDecoder(LlamaConfig c, NDManager manager, PtSymbolBlock module) {
    this.c = c;
    this.manager = manager;
    this.module = module;
    noA = named(manager.create(new float[0]), "lora_a[]");
    noB = named(manager.create(new float[0]), "lora_b[]");
    noDrop = named(manager.create(new float[0]), "drop[]");
  }

  /** The output head's weight (V, H): lm_head, or the embedding when tied. */
  static ModelWeights.Weight headWeight(ModelWeights w) {
    return w.get(w.config().tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight");
  }

  /**
   * A decoder holding {@code w} in {@code compute}: the weights go over in float32 in the model's layout (linear
   * weights as (in, out)) and are freed once the module has its copies.
   */
  static ScriptedDecoder create(ModelWeights w, NDManager parent, DataType compute) {
    LlamaConfig c = w.config();
    try (NDManager f32 = parent.newSubManager()) {
      List<NDArray> norms = new ArrayList<>(), wT = new ArrayList<>(), bias = new ArrayList<>();
      for (int i = 0; i < c.numLayers(); i++) {
        norms.add(LlamaModel.placeF32(f32, w.get("model.layers." + i + ".input_layernorm.weight"), false));
        norms.add(LlamaModel.placeF32(f32, w.get("model.layers." + i + ".post_attention_layernorm.weight"), false));
        for (Projection pr : Projection.ALL) {
          wT.add(LlamaModel.placeF32(f32, w.get(pr.prefix(i) + ".weight"), true));
          bias.add(pr.hasBias(c) ? LlamaModel.placeF32(f32, w.get(pr.prefix(i) + ".bias"), false) : null);
        }
      }
      return create(c, parent, compute, LlamaModel.placeF32(f32, w.get("model.embed_tokens.weight"), false),
          LlamaModel.placeF32(f32, headWeight(w), true), LlamaModel.placeF32(f32, w.get("model.norm.weight"), false),
          norms, wT, bias);
    }
  }

  /**
   * Loads the module under a sub-manager of {@code parent} and hands it the float32 weights, which it copies
   * into {@code compute} (bfloat16; float32 only to measure what bfloat16 saves in the same script).
   *
   * @param layers per decoder layer: attention norm, MLP norm, then for each projection in {@link Projection}
   *               order its W^T (in, out); biases in {@code biases} (null where the family has none)
   */
  private static ScriptedDecoder create(LlamaConfig c, NDManager parent, DataType compute, NDArray embed, NDArray headT,
      NDArray finalNorm, List<NDArray> norms, List<NDArray> weightsT, List<NDArray> biases) {
    if (compute != DataType.BFLOAT16 && compute != DataType.FLOAT32) {
      throw new IllegalArgumentException("the scripted decoder computes in bfloat16 or float32, not " + compute);
    }
    NDManager m = parent.newSubManager();
    PtSymbolBlock module;
    try {
      module = loadModule(m);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
    ScriptedDecoder d = new ScriptedDecoder(c, m, module);
    try (NDManager call = m.newSubManager()) {
      NDList in = new NDList();
      in.add(named(embed, null));
      in.add(named(call.create(0f), "module_method:set_weights")); // marker: which method; not passed on
      in.add(named(headT, null));
      in.add(named(finalNorm, null));
      for (NDArray n : norms) in.add(named(n, "norms[]"));
      for (NDArray w : weightsT) in.add(named(w, "w[]"));
      NDArray noBias = named(call.create(new float[0]), "bias[]");
      for (NDArray b : biases) in.add(b == null ? noBias : named(b, "bias[]"));
      long bf16 = compute == DataType.BFLOAT16 ? 1 : 0;
      in.add(call.create(new long[] {c.numLayers(), c.numHeads(), c.numKvHeads(), c.headDim(), bf16}));
      in.add(call.create((float) c.rmsNormEps()));
      NDList out = IValueUtils.forward(d.module, in, true);
      out.attach(call);
      if (out.singletonOrThrow().toLongArray()[0] != c.numLayers()) {
        throw new ModelException("the bfloat16 decoder module did not take the weights");
      }
    } catch (RuntimeException e) {
      d.close();
      throw e;
    }
    return d;
  }

  /**
   * {@link LlamaModel}'s forward: logits (B, T, V), or (B, V) of the last position, float32 in ids' manager,
   * which also owns the call's scalar and dropout masks (autograd keeps them: it must outlive the backward
   * pass). The LoRA branch of every projection {@code lora} changes runs inside the module with the adapter's
   * float32 factors; {@code training} draws its dropout masks. With a cache, the module's {@code decode}
   * extends the cached keys and values (float32 arrays the cache owns) by the new positions and returns the
   * last position's logits.
   */
  NDArray run(NDArray ids, KvCache cache, RopeTables rope, LowRankDelta lora, boolean training, boolean lastOnly) {
    NDManager m = ids.getManager();
    int t = (int) ids.getShape().get(1), start = cache == null ? 0 : cache.length();
    c.requireFits(start + t);
    NDList in = inputs(ids, m, rope.cos(m, start, t), rope.sin(m, start, t), lora, training && cache == null);
    if (cache == null) {
      NDArray logits = call(in, m).singletonOrThrow(); // (B, T, V)
      return lastOnly ? logits.get(new NDIndex(":, -1, :")) : logits;
    }
    in.add(named(m.create(0f), "module_method:decode"));
    if (cache.scripted() == null) in.add(named(m.create(new float[0]), "past[]"));
    else for (NDArray kv : cache.scripted()) in.add(named(kv, "past[]"));
    NDList out = call(in, m); // [logits (B, V), k_0, v_0, ...]
    NDArray logits = out.get(0);
    cache.setScripted(out.subNDList(1));
    cache.advance(t);
    return logits;
  }

  /** The arguments forward and decode share: ids, cos, sin, lora_a[], lora_b[], drop[], scaling. */
  private NDList inputs(NDArray ids, NDManager m, NDArray cos, NDArray sin, LowRankDelta lora, boolean training) {
    long b = ids.getShape().get(0), t = ids.getShape().get(1);
    int slots = c.numLayers() * PROJECTIONS;
    List<NDArray> a = new ArrayList<>(slots), bb = new ArrayList<>(slots), drop = new ArrayList<>(slots);
    for (int layer = 0; layer < c.numLayers(); layer++) {
      for (Projection p : Projection.ALL) {
        NDArray[] f = lora == null || !lora.has(layer, p) ? null : lora.factorsT(layer, p);
        if (f == null) {
          a.add(noA);
          bb.add(noB);
          drop.add(noDrop);
          continue;
        }
        a.add(named(f[0], "lora_a[]"));
        bb.add(named(f[1], "lora_b[]"));
        NDArray mask = lora.dropoutMask(m, new Shape(b, t, p.inFeatures(c)), training);
        drop.add(mask == null ? noDrop : named(mask, "drop[]"));
      }
    }
    NDList in = new NDList();
    in.add(named(ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false), null));
    in.add(named(cos, null));
    in.add(named(sin, null));
    in.addAll(a);
    in.addAll(bb);
    in.addAll(drop);
    in.add(m.create(lora == null ? 0f : lora.scaling()));
    return in;
  }

  /** Runs the module (forward, or the method a "module_method:" array names) under this thread's grad mode. */
  private NDList call(NDList in, NDManager m) {
    NDList out = IValueUtils.forward(module, in, true); // in the first input's manager: ids'
    out.attach(m);
    return out;
  }

  private static NDArray named(NDArray a, String name) {
    a.setName(name);
    return a;
  }

  @Override
  public void close() {
    module.close();
    manager.close();
  }
}
