package io.fedit.config;

import java.util.List;

/** One client's local training: optimizer, schedule, batching, budget and threads. */
public record TrainSection(
    int localEpochs,
    int maxSteps,
    int batchSize,
    int microBatchSize,
    double learningRate,
    double weightDecay,
    double adamBeta1,
    double adamBeta2,
    double adamEps,
    String lrSchedule,
    int warmupSteps,
    double maxGradNorm,
    boolean trainOnInputs,
    boolean groupByLength,
    int threads) implements java.io.Serializable {
  public static final List<String> SCHEDULES = List.of("constant", "linear", "cosine");

  public TrainSection {
    Require.positive("train.local_epochs", localEpochs);
    Require.nonNegative("train.max_steps", maxSteps);
    Require.positive("train.batch_size", batchSize);
    Require.positive("train.micro_batch_size", microBatchSize);
    if (batchSize % microBatchSize != 0) {
      throw new IllegalArgumentException(
          "train.batch_size (" + batchSize + ") must be a multiple of train.micro_batch_size ("
              + microBatchSize + ")");
    }
    Require.nonNegative("train.learning_rate", learningRate);
    Require.nonNegative("train.weight_decay", weightDecay);
    Require.inRange("train.adam_beta1", adamBeta1, 0.0, 1.0);
    Require.inRange("train.adam_beta2", adamBeta2, 0.0, 1.0);
    Require.positive("train.adam_eps", adamEps);
    lrSchedule = Require.oneOf("train.lr_schedule", lrSchedule, SCHEDULES);
    Require.nonNegative("train.warmup_steps", warmupSteps);
    Require.nonNegative("train.max_grad_norm", maxGradNorm);
    Require.nonNegative("train.threads", threads);
  }

  /** Micro batches accumulated into one optimizer step. */
  public int accumulationSteps() {
    return batchSize / microBatchSize;
  }

  /** These settings with a fixed step budget in one epoch (e.g. to match a token budget). */
  public TrainSection withStepBudget(int steps) {
    return new TrainSection(1, steps, batchSize, microBatchSize, learningRate, weightDecay, adamBeta1, adamBeta2,
        adamEps, lrSchedule, warmupSteps, maxGradNorm, trainOnInputs, groupByLength, threads);
  }
}
