package io.fedit.client;

import io.fedit.data.InstructionRecord;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Two clients training at once in one JVM (Spark local[2], or an executor with two task slots), sharing the
 * model and tokenizer, give bit for bit what training them one after the other gives. DJL's GradientCollector
 * would throw "already collecting" here; the trainer's per-thread autograd does not need it.
 */
class ConcurrentTrainingTest {
  @Test
  void twoTrainersOnTwoThreadsEqualSequentialTraining() throws Exception {
    LocalTrainer t = TrainerFixture.trainer("data.cutoff_len=96", "train.learning_rate=3e-3", "train.max_steps=8",
        "train.batch_size=4", "train.micro_batch_size=2");
    List<InstructionRecord> a = TrainerFixture.dolly("train", Set.of("brainstorming"), 24);
    List<InstructionRecord> b = TrainerFixture.dolly("train", Set.of("classification"), 24);
    AdapterWeights start = TrainerFixture.initial(TrainerFixture.config(), 1);
    TrainResult seqA = t.train(a, start, 1, 1), seqB = t.train(b, start, 2, 1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 2; round++) {
        Future<TrainResult> fa = pool.submit(() -> t.train(a, start, 1, 1));
        Future<TrainResult> fb = pool.submit(() -> t.train(b, start, 2, 1));
        TrainerFixture.assertSameAdapter(seqA.adapter(), fa.get().adapter());
        TrainerFixture.assertSameAdapter(seqB.adapter(), fb.get().adapter());
        org.junit.jupiter.api.Assertions.assertArrayEquals(seqA.metrics().stepLosses(), fa.get().metrics().stepLosses());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
