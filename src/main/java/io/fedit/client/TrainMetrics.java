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
    float[] stepLosses)
    implements Serializable {}
