package io.fedit.client;

import ai.djl.ndarray.NDArray;

/** Token cross-entropy with per-position weights (0 masks padding and, without train_on_inputs, the prompt). */
final class TokenLoss {
  private TokenLoss() {}

  /**
   * sum over positions of -log softmax(logits)[target] * weight.
   *
   * @param logits  (B, T, V) float32
   * @param targets (B, T, 1) int64
   * @param weights (B, T, 1) float32
   * @return () in logits' manager
   */
  static NDArray weightedNll(NDArray logits, NDArray targets, NDArray weights) {
    return logits.logSoftmax(-1).gather(targets, -1).mul(weights).sum().neg();
  }
}
