package io.fedit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Keys and values of the positions seen so far, per layer: K^T (B, Hkv, D, S) and V (B, Hkv, S, D). K is kept
 * transposed so attention reads it as a second operand only (results then belong to the step's manager).
 * Owns one manager; each append replaces the layer's arrays and closes the old ones, so memory grows only
 * with S, never with the number of steps.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keysT;
  private final NDArray[] values;
  private NDArray tokens; // (B, S) int64, only for models that rerun the whole sequence
  private int length;

  public KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keysT = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Positions already cached (the position of the next token). */
  public int length() {
    return length;
  }

  /** Appends this step's K^T (B, Hkv, D, T) and V (B, Hkv, T, D) for a layer; returns the full {K^T, V}. */
  NDArray[] append(int layer, NDArray kT, NDArray v) {
    if (keysT[layer] == null) {
      kT.attach(manager);
      v.attach(manager);
      keysT[layer] = kT;
      values[layer] = v;
    } else {
      NDArray oldK = keysT[layer], oldV = values[layer];
      keysT[layer] = NDArrays.concat(new NDList(oldK, kT), 3); // first operand's manager: the cache's
      values[layer] = NDArrays.concat(new NDList(oldV, v), 2);
      oldK.close();
      oldV.close();
    }
    return new NDArray[] {keysT[layer], values[layer]};
  }

  /**
   * For a model without per-layer K/V (the bfloat16 scripted decoder): appends this step's ids (B, T) to the
   * token history and returns all ids so far (B, S), owned by the cache.
   */
  NDArray appendTokens(NDArray ids) {
    // A real copy: toType to the same dtype would share ids' memory, which the caller's step frees.
    NDArray add = ids.getDataType() == DataType.INT64 ? ids.duplicate() : ids.toType(DataType.INT64, false);
    if (tokens == null) {
      tokens = add;
      tokens.attach(manager);
    } else {
      NDArray old = tokens;
      tokens = NDArrays.concat(new NDList(old, add), 1); // the cache's manager (first operand's)
      old.close();
    }
    return tokens;
  }

  /** Called by the model after all layers appended {@code tokens} positions. */
  void advance(int tokens) {
    length += tokens;
  }

  @Override
  public void close() {
    manager.close();
  }
}
