package io.fedit.client;

import java.io.Serializable;

/**
 * What one client's local training reports besides the adapter: counts, losses and speed. Plain
 * numbers only (never text), so it may travel from an executor to the driver.
 *
 * @param examples   training examples seen (counted once per epoch)
 * @param tokens     non-padding tokens processed in forward passes
 * @param steps      optimizer steps taken
 * @param firstLoss  mean loss of the first optimizer step
 * @param lastLoss   mean loss of the last optimizer step
 * @param meanLoss   mean over all optimizer steps
 * @param stepLosses loss of each optimizer step, in order
 * @param skippedSteps optimizer steps skipped by float16 loss scaling (non-finite gradients; the step's
 *                     update was dropped and the scale halved); always 0 in float32
 */
public record TrainMetrics(
    long examples,
    long tokens,
    int steps,
    double firstLoss,
    double lastLoss,
    double meanLoss,
    double tokensPerSecond,
    long wallMillis,
    float[] stepLosses,
    int skippedSteps)
    implements Serializable {
  /** Metrics of a run that skipped no step. */
  public TrainMetrics(long examples, long tokens, int steps, double firstLoss, double lastLoss, double meanLoss,
      double tokensPerSecond, long wallMillis, float[] stepLosses) {
    this(examples, tokens, steps, firstLoss, lastLoss, meanLoss, tokensPerSecond, wallMillis, stepLosses, 0);
  }
}
