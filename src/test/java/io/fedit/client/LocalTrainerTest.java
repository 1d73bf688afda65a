package io.fedit.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalTrainerTest {
  static final Set<String> CATS = Set.of("brainstorming", "classification");

  /**
   * 200 Dolly train rows of two categories, one epoch (25 steps of 8), lr 3e-3, on the tiny model; held-out
   * loss on the 20 test rows of the same categories. Measured: 4.2371 before, 2.7078 after (deterministic on
   * this machine). A broken trainer misses the bound of 3.0: lr 0 leaves it at 4.2371 exactly (measured), and
   * so do gradients that never reach LoRA (the adapter stays at its start, where B = 0).
   */
  @Test
  void heldOutLossDropsOnTheTrainedCategories() {
    List<InstructionRecord> train = TrainerFixture.dolly("train", CATS, 200);
    List<InstructionRecord> test = TrainerFixture.dolly("test", CATS, 100);
    LocalTrainer t = TrainerFixture.trainer("data.cutoff_len=128", "train.learning_rate=3e-3", "train.batch_size=8",
        "train.micro_batch_size=8");
    AdapterWeights start = TrainerFixture.initial(TrainerFixture.config(), 1);
    double before = t.evaluate(test, start);
    TrainResult r = t.train(train, start, 7, 0);
    double after = t.evaluate(test, r.adapter());
    System.out.printf("held-out loss %.4f -> %.4f%n", before, after);
    assertEquals(4.2371, before, 1e-3);
    assertTrue(after < 3.0, "held-out loss " + before + " -> " + after + ", expected < 3.0");
    assertTrue(r.metrics().lastLoss() < r.metrics().firstLoss());
  }

  @Test
  void zeroLearningRateLeavesTheAdapterUnchanged() {
    LocalTrainer t = TrainerFixture.trainer("data.cutoff_len=64", "train.learning_rate=0", "train.max_steps=3",
        "train.batch_size=4", "train.micro_batch_size=2");
    AdapterWeights start = TrainerFixture.initial(TrainerFixture.config(), 1);
    TrainResult r = t.train(TrainerFixture.dolly("train", CATS, 20), start, 1, 0);
    TrainerFixture.assertSameAdapter(start, r.adapter());
  }

  @Test
  void sameSeedGivesIdenticalAdapterAndLossesAndOtherSeedDiffers() {
    LocalTrainer t = TrainerFixture.trainer("data.cutoff_len=64", "train.learning_rate=3e-3", "train.max_steps=6",
        "train.batch_size=8", "train.micro_batch_size=4", "train.group_by_length=true");
    List<InstructionRecord> rows = TrainerFixture.dolly("train", CATS, 40);
    AdapterWeights start = TrainerFixture.initial(TrainerFixture.config(), 1);
    TrainResult a = t.train(rows, start, 11, 0), b = t.train(rows, start, 11, 0), c = t.train(rows, start, 12, 0);
    TrainerFixture.assertSameAdapter(a.adapter(), b.adapter());
    assertArrayEquals(a.metrics().stepLosses(), b.metrics().stepLosses());
    assertFalse(TrainerFixture.sameAdapter(a.adapter(), c.adapter()));
  }

  /** Base weights are untouched: the model without adapter gives the same logits before and after training. */
  @Test
  void trainingChangesOnlyLoraParameters() {
    float[] before = baseLogits();
    LocalTrainer t = TrainerFixture.trainer("data.cutoff_len=64", "train.learning_rate=1e-2", "train.max_steps=4",
        "train.batch_size=4", "train.micro_batch_size=4");
    AdapterWeights start = TrainerFixture.initial(TrainerFixture.config(), 1);
    TrainResult r = t.train(TrainerFixture.dolly("train", CATS, 16), start, 3, 0);
    assertArrayEquals(before, baseLogits());
    String b = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";
    boolean moved = false;
    for (float v : r.adapter().get(b).values()) moved |= v != 0f;
    assertTrue(moved, "lora_B stayed zero");
  }

  private static float[] baseLogits() {
    try (NDManager m = TrainerFixture.MODEL.manager().newSubManager()) {
      NDArray ids = m.create(new long[] {1, 403, 407, 261, 378, 9, 10, 400}, new Shape(1, 8));
      return TrainerFixture.MODEL.forward(ids, null, false).toFloatArray();
    }
  }

  @Test
  void metricsCountDistinctExamplesStepsAndTokens() {
    LocalTrainer t = TrainerFixture.trainer("data.cutoff_len=48", "train.local_epochs=2", "train.batch_size=4",
        "train.micro_batch_size=2");
    List<InstructionRecord> rows = TrainerFixture.dolly("train", CATS, 10);
    long positions = 0;
    for (TrainingExample e : t.examples(rows)) positions += e.positions();
    TrainResult r = t.train(rows, TrainerFixture.initial(TrainerFixture.config(), 1), 1, 0);
    assertEquals(10, r.metrics().examples()); // not multiplied by epochs: the FedAvg weight
    assertEquals(2 * 3, r.metrics().steps()); // ceil(10 / 4) per epoch
    assertEquals(2 * positions, r.metrics().tokens());
    assertEquals(r.metrics().steps(), r.metrics().stepLosses().length);
    RunConfig budget = TrainerFixture.config("train.max_steps=7", "train.batch_size=4", "train.micro_batch_size=2");
    assertEquals(7, new LocalTrainer(TrainerFixture.MODEL, TrainerFixture.TOKENIZER, budget)
        .train(rows, TrainerFixture.initial(budget, 1), 1, 0).metrics().steps());
  }

  @Test
  void emptyRecordsAreRejected() {
    LocalTrainer t = TrainerFixture.trainer();
    AdapterWeights start = TrainerFixture.initial(TrainerFixture.config(), 1);
    assertThrows(IllegalArgumentException.class, () -> t.train(List.of(), start, 1, 0));
  }
}
