package io.fedit.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of the positions seen so far, per layer: K^T (B, Hkv, D, S) and V (B, Hkv, S, D). K is kept
 * transposed so attention reads it as a second operand only (results then belong to the step's manager).
 * Owns one manager; each append replaces the layer's arrays and closes the old ones, so memory grows only
 * with S, never with the number of steps. A bfloat16 model (its scripted decoder) keeps its own list instead,
 * K (not transposed) and V per layer in float32, replaced as a whole at each step.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keysT;
  private final NDArray[] values;
  private NDList scripted; // [k_0, v_0, k_1, ...] (B, Hkv, S, D) float32, bfloat16 scripted decoder only
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
   * The bfloat16 scripted decoder's cache: its own list of float32 keys and values of every layer (null before
   * the first step). {@link #setScripted} takes ownership of the new list and frees the previous one.
   */
  NDList scripted() {
    return scripted;
  }

  void setScripted(NDList kv) {
    kv.attach(manager);
    if (scripted != null) scripted.close();
    scripted = kv;
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
