package io.fedit.client;

import io.fedit.config.TrainSection;
import io.fedit.seeds.Seeds;
import io.fedit.seeds.Shuffles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The order of training: optimizer steps, each made of up to {@code accumulation} micro batches. Epochs
 * reshuffle with a Random derived from (seed, epoch); with a step budget ({@code maxSteps > 0}) epochs repeat
 * until the budget is spent, as Hugging Face's Trainer does; otherwise {@code epochs} full passes, the last
 * step of an epoch possibly shorter. group_by_length sorts each mega-batch of 50 micro batches by length
 * (longest first) like HF's LengthGroupedSampler, so padding shrinks while order stays random.
 */
public final class BatchPlan {
  private BatchPlan() {}

  /**
   * Steps -> micro batches. Weights are scaled by 1 / (counted positions of the step), so the sum of the micro
   * batches' weighted losses is the step's mean token loss (as one big batch would give).
   */
  public static List<List<MicroBatch>> plan(List<TrainingExample> examples, TrainSection train, long seed) {
    if (examples.isEmpty()) throw new IllegalArgumentException("no training examples");
    int epochs = train.localEpochs();
    int maxSteps = train.maxSteps();
    int batchSize = train.batchSize();
    int microBatchSize = train.microBatchSize();
    boolean groupByLength = train.groupByLength();
    boolean trainOnInputs = train.trainOnInputs();
    int accumulation = batchSize / microBatchSize;
    List<List<MicroBatch>> steps = new ArrayList<>();
    for (int epoch = 0; maxSteps > 0 ? steps.size() < maxSteps : epoch < epochs; epoch++) {
      List<Integer> order = order(examples, microBatchSize, groupByLength, Seeds.legacyStream(Seeds.epoch(seed, epoch)));
      List<MicroBatch> current = new ArrayList<>(accumulation);
      for (int from = 0; from < order.size(); from += microBatchSize) {
        List<TrainingExample> mb = new ArrayList<>(microBatchSize);
        for (int i = from; i < Math.min(order.size(), from + microBatchSize); i++) mb.add(examples.get(order.get(i)));
        current.add(MicroBatch.of(mb, trainOnInputs));
        if (current.size() == accumulation) {
          steps.add(normalized(current));
          current = new ArrayList<>(accumulation);
          if (maxSteps > 0 && steps.size() == maxSteps) return steps;
        }
      }
      if (!current.isEmpty()) steps.add(normalized(current));
      if (maxSteps > 0 && steps.size() >= maxSteps) return steps.subList(0, maxSteps);
    }
    return steps;
  }

  private static List<MicroBatch> normalized(List<MicroBatch> step) {
    long counted = 0;
    for (MicroBatch mb : step) counted += mb.counted();
    if (counted == 0) return step; // all masked: zero loss, zero gradient
    List<MicroBatch> out = new ArrayList<>(step.size());
    for (MicroBatch mb : step) out.add(mb.scaled(1f / counted));
    return out;
  }

  private static List<Integer> order(List<TrainingExample> ex, int micro, boolean group, Random rnd) {
    List<Integer> idx = new ArrayList<>(ex.size());
    for (int i = 0; i < ex.size(); i++) idx.add(i);
    Shuffles.shuffle(idx, rnd);
    if (!group) return idx;
    int mega = 50 * micro;
    Comparator<Integer> longestFirst = Comparator.comparingInt((Integer i) -> -ex.get(i).tokens().length);
    for (int from = 0; from < idx.size(); from += mega) {
      idx.subList(from, Math.min(idx.size(), from + mega)).sort(longestFirst);
    }
    return idx;
  }
}
