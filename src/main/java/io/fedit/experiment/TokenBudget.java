package io.fedit.experiment;

import io.fedit.client.BatchPlan;
import io.fedit.client.MicroBatch;
import io.fedit.client.TrainingExample;
import io.fedit.config.TrainSection;
import java.util.List;

/**
 * The centralized arm's budget: the fewest optimizer steps over {@code examples} whose processed tokens
 * (non-padding positions, as {@link io.fedit.client.TrainMetrics#tokens} counts them) reach a target, under the
 * same batch plan the trainer will use with that step budget. Plans with a step budget are prefixes of one
 * another (epochs reshuffle by (seed, epoch) only), so the count found on a longer plan holds for the trainer.
 */
public final class TokenBudget {
  private TokenBudget() {}

  public static int stepsForTokens(List<TrainingExample> examples, TrainSection t, long seed, long targetTokens) {
    if (targetTokens <= 0) throw new IllegalArgumentException("target tokens must be > 0, got " + targetTokens);
    double meanPositions = examples.stream().mapToInt(TrainingExample::positions).average().orElse(1);
    int bound = (int) Math.min(Integer.MAX_VALUE / 2, Math.ceil(targetTokens / (meanPositions * t.batchSize())) + 1);
    while (true) {
      List<List<MicroBatch>> plan = BatchPlan.plan(examples, t.withStepBudget(bound), seed);
      long sum = 0;
      for (int s = 0; s < plan.size(); s++) {
        for (MicroBatch mb : plan.get(s)) sum += mb.positions();
        if (sum >= targetTokens) return s + 1;
      }
      bound *= 2;
    }
  }
}
