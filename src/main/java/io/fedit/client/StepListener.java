package io.fedit.client;

/** Called after each optimizer step (progress logs, leak probes in tests). Runs on the training thread. */
@FunctionalInterface
public interface StepListener {
  /**
   * @param step       0-based optimizer step just done
   * @param loss       its mean token loss
   * @param liveArrays native arrays still held by the run (adapter, optimizer state): constant when nothing leaks
   */
  void onStep(int step, float loss, int liveArrays);
}
